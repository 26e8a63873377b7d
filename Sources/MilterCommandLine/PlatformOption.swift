import ArgumentParser
import Configuration

/// `--platform NAME` (interfaces.md, common conventions): debian, redhat, freebsd, pkgsrc or
/// unknown; nil means read from the root (`/etc/os-release` and the like).
public struct PlatformOption: ParsableArguments, Sendable {
    /// The platform given, nil when it is to be read from the root.
    @Option(
        help: ArgumentHelp(
            "The platform: debian, redhat, freebsd, pkgsrc or unknown (default: read from the root).",
            valueName: "name"))
    public var platform: Platform?

    /// Parsed from the command line.
    public init() {}
}

/// `--platform debian` and the like: the platform's raw value.
extension Platform: ExpressibleByArgument {}
