MilterTestClientCommand.main()
