import ArgumentParser
import ConfigGen
import Configuration
import MilterCommandLine
import MilterProtocol
import MilterSupport

/// `milter-manager-config postfix`: the main.cf lines that make Postfix use milter manager,
/// printed or applied.
struct PostfixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "postfix",
        abstract: "Print or apply the Postfix main.cf lines that make Postfix use milter manager.",
        discussion: """
            smtpd_milters points at manager.connection_spec of the configuration under the root \
            (or the platform's default socket), spelled as a chrooted smtpd (master.cf) must name \
            it: a socket under the queue directory is given relative to it, and a warning says \
            when smtpd cannot reach the socket at all. --apply edits ROOT/etc/postfix/main.cf in place \
            through Augeas (comments and every other line untouched, previous file kept as \
            main.cf.bak); it does nothing when main.cf already says so, and never writes a \
            main.cf it cannot parse. Run `postfix reload` afterwards.

            FILES (every path is taken under --root, default /)
            \(HelpSections.socketFiles)
            \(HelpSections.postfixChrootFiles)
                  (edited by --apply, the previous one kept as main.cf.bak)
              templates/postfix-main.cf.mustache (in the data directory,
              not under --root)
                  the lines printed or applied

            \(HelpSections.socketEnvironmentAndExitStatus)
            """)

    @OptionGroup var rootOption: RootOption
    @OptionGroup var configDirectoryOption: ConfigDirectoryOption

    @Flag(help: "Print the lines to add to main.cf (the default).")
    var print = false

    @Flag(help: "Edit ROOT/etc/postfix/main.cf.")
    var apply = false

    @Flag(help: "Write nothing; with --apply, print the change to main.cf as a unified diff.")
    var dryRun = false

    func validate() throws {
        if print && apply { throw ValidationError("--print and --apply cannot be used together") }
    }

    func run() throws {
        let templates = try ConfigToolOutput.templates()
        let settings: PostfixSettings
        do {
            let socket = try ManagerSocket(
                root: rootOption.root, configDirectory: configDirectoryOption.configDir,
                extraDirectories: ConfigurationLoader.environmentConfigDirectories()
            ).resolveSetting()
            let chroot = try PostfixChroot.detect(root: rootOption.root)
            if let problem = chroot?.problem(with: socket.value.spec) {
                StandardStream.error.writeLine(
                    "\(ConfigToolOutput.program): warning: \(ControlCharacters.escapedIfNeeded(problem))")
            }
            let spec = chroot?.adjusted(socket.value.spec) ?? socket.value.spec
            settings = try PostfixSettings(connectionSpec: spec, setAt: socket.provenance, templates: templates)
        } catch {
            throw ConfigToolOutput.fail(error)
        }
        guard apply else {
            Swift.print(settings.text, terminator: "")
            return
        }
        let editor = PostfixMainEditor(root: rootOption.root, settings: settings)
        let plan: PostfixMainEditor.Plan
        do {
            plan = try editor.plan()
        } catch {
            throw ConfigToolOutput.fail(error)
        }
        for note in plan.notes {
            StandardStream.error.writeLine(
                "\(ConfigToolOutput.program): note: \(ControlCharacters.escapedIfNeeded(note))")
        }
        if dryRun {
            Swift.print(plan.isUpToDate ? "\(plan.path) is up to date\n" : plan.diff, terminator: "")
            return
        }
        let outcome: FileUpdater.Outcome
        do {
            outcome = try editor.write(plan)
        } catch {
            throw ConfigToolOutput.fail(error)
        }
        switch outcome {
        case .unchanged, .created:
            Swift.print("\(plan.path) is up to date")
        case .replaced(let backup):
            Swift.print("updated \(plan.path), previous version kept as \(backup); run `postfix reload`")
        }
    }
}
