MilterManagerCommand.main()
