LogAnalyzerCommand.main()
