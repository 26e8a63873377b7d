MilterTestServerCommand.main(ColorMode.normalizingArguments(Array(CommandLine.arguments.dropFirst())))
