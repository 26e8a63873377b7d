import ArgumentParser
import Configuration
import Detect
import MilterCommandLine
import MilterProtocol
import MilterSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `milter-manager-config detect`: prints the milters installed under a root.
struct DetectCommand: ParsableCommand {
    /// How the report is printed.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        /// `define_milter` blocks of milter-manager.conf.
        case conf
        /// One JSON object (see interfaces.md).
        case json
    }

    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Print the milters installed under a root, their sockets and whether they are enabled.",
        discussion: """
            Reads only; paths in the output are as seen inside the root.

            FILES (every path is taken under --root, default /)
            \(HelpSections.platformFiles)
            \(HelpSections.detectionFiles)

            ENVIRONMENT
              none is read.

            EXIT STATUS
              0 success, 1 the root cannot be read, 64 bad usage.
            """)

    @OptionGroup var rootOption: RootOption
    @OptionGroup var platformOption: PlatformOption

    @Option(help: "Output format: conf or json.")
    var format: Format = .conf

    @Flag(help: .hidden)
    var timing = false

    func run() throws {
        let started = Self.now()
        let detector = MilterDetector(root: rootOption.root)
        let report: DetectionReport
        do {
            report = try detector.run(platform: platformOption.platform)
        } catch {
            StandardStream.error.writeLine(
                "milter-manager-config: " + ControlCharacters.escapedIfNeeded(error.description))
            throw ExitCode.failure
        }
        switch format {
        case .json:
            print(DetectionReportJSON.render(report), terminator: "")
        case .conf:
            print(DetectionReportConf.render(report), terminator: "")
            ConfigToolOutput.printDiagnostics(report, withSeverity: false)
        }
        if timing {
            let elapsed = Double(Self.now() - started) / 1_000_000
            StandardStream.error.writeLine("milter-manager-config: detect took \(elapsed) ms")
        }
    }

    /// Monotonic clock in nanoseconds.
    private static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
