import ArgumentParser
import ConfigGen
import Configuration
import Detect
import MilterCommandLine

/// `milter-manager-config generate`: writes milter-manager.conf from the detected milters.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write milter-manager.conf for the milters detected under a root.",
        discussion: """
            The file is written only when its text changes; the previous file is kept as \
            milter-manager.conf.bak. A milter-manager.conf that does not load is never replaced, \
            and milter-manager.local.conf (local changes, loaded at the end) is never touched.

            FILES (every path is taken under --root, default /)
              /etc/milter-manager/milter-manager.conf (or in --config-dir)
                  read, then written; the previous one is kept as .bak
            \(HelpSections.platformFiles)
            \(HelpSections.detectionFiles)
            \(HelpSections.postfixChrootFiles)
                  (a chrooted smtpd gets a socket under the chroot)
              templates/milter-manager.conf.mustache (in the data directory,
              not under --root)
                  the text of the file written

            ENVIRONMENT
            \(HelpSections.dataDirectoryEnvironment)

            EXIT STATUS
              0 success, 1 runtime failure, 64 bad usage, 66 an unreadable
              milter-manager.conf, 78 one that does not load.
            """)

    @OptionGroup var rootOption: RootOption
    @OptionGroup var platformOption: PlatformOption
    @OptionGroup var configDirectoryOption: ConfigDirectoryOption

    @Flag(help: "Print the change as a unified diff and write nothing.")
    var dryRun = false

    func run() throws {
        let generator = ConfigurationGenerator(
            root: rootOption.root, platform: platformOption.platform,
            configDirectory: configDirectoryOption.configDirOrDefault, templates: try ConfigToolOutput.templates())
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
