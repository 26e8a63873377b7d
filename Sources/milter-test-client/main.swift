ClientListener.blockStopSignals()  // before any thread exists, so an early SIGTERM is not lost
MilterTestClientCommand.main()
