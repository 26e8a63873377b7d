import ArgumentParser
import ConfigGen
import Configuration
import Detect

/// `milter-manager-config generate`: writes milter-manager.conf from the detected milters.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write milter-manager.conf for the milters detected under a root.",
        discussion: """
            The file is written only when its text changes; the previous file is kept as \
            milter-manager.conf.bak. A milter-manager.conf that does not load is never replaced, \
            and milter-manager.local.conf (local changes, loaded at the end) is never touched.
            """)

    @Option(help: "The file-system root to detect under and write into.")
    var root = "/"

    @Option(help: "The platform: debian, redhat, freebsd, pkgsrc or unknown (default: read from the root).")
    var platform: Platform?

    @Option(help: "The directory (inside the root) to write milter-manager.conf to.")
    var configDir = ConfigurationLoader.defaultConfigDirectory

    @Flag(help: "Print the change as a unified diff and write nothing.")
    var dryRun = false

    func run() throws {
        let generator = ConfigurationGenerator(
            root: root, platform: platform, configDirectory: configDir, templates: try ConfigToolOutput.templates())
        let plan: ConfigurationGenerator.Plan
        do {
            plan = try generator.plan()
        } catch {
            throw ConfigToolOutput.fail(error)
        }
        ConfigToolOutput.printDiagnostics(plan.report)
        if dryRun {
            if plan.isUpToDate {
                print("\(plan.path) is up to date")
            } else {
                print(plan.diff, terminator: "")
            }
            return
        }
        let outcome: FileUpdater.Outcome
        do {
            outcome = try generator.write(plan)
        } catch {
            throw ConfigToolOutput.fail(error)
        }
        let enabled = plan.report.milters.filter(\.enabled).map(\.name)
        let summary =
            "\(plan.report.milters.count) milter(s) detected, \(enabled.count) enabled"
            + (enabled.isEmpty ? "" : ": " + enabled.joined(separator: ", "))
        switch outcome {
        case .unchanged: print("\(plan.path) is up to date (\(summary))")
        case .created: print("created \(plan.path) (\(summary))")
        case .replaced(let backup): print("updated \(plan.path), previous version kept as \(backup) (\(summary))")
        }
    }
}
