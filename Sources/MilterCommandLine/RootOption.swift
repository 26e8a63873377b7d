import ArgumentParser

/// `--root DIR` (interfaces.md, common conventions): the file-system root every absolute path
/// is read and written under. Shared by `milter-manager` and every subcommand of
/// `milter-manager-config`.
///
/// ```swift
/// @OptionGroup var rootOption: RootOption
/// ```
public struct RootOption: ParsableArguments, Sendable {
    /// The root (`/` by default).
    @Option(help: ArgumentHelp("The file-system root every path is read and written under.", valueName: "dir"))
    public var root = "/"

    /// Parsed from the command line.
    public init() {}
}
