MilterManagerCtlCommand.main()
