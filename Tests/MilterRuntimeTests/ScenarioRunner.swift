import Configuration
import Foundation
import MilterProtocol
import MilterRuntime
import MilterScripting
import NIOCore

/// Runs a scenario file against the session state machine with scripted children.
///
/// Lines (`#` starts a comment):
/// - `child NAME [unreachable] [evaluation] [fallback=STATUS] [negotiate=V,ACTIONS,STEPS]
///   [symbols=STAGE:a|b;STAGE:c] [conditions=c1,c2]` defines a child, in order.
///   Conditions: `s25r`, `remote-network`, `authenticated`, `unauthenticated`, `trust`,
///   `sendmail-compatible`, `no-stress`, `stress-notify`, `restrict:a@x|b@y`, `dnsbl-listed`,
///   `not-dnsbl-listed`, `custom:NAME` (a condition of the file `load` read).
/// - `load FILE` reads `conditions/FILE` (milter-manager.conf syntax) beside the scenarios:
///   its `define_applicable_condition`s with rules and Lua scripts (relative to that folder).
/// - `settings [fallback=STATUS] [sessions=N] [stress=N] [dnsbl=listed|not-listed|deferred]`:
///   the DNSBL look-up answers at once, or (`deferred`) when a `dnsbl listed|not-listed` line
///   comes (the next line may be `=>`).
/// - `NAME on STAGE[#N]: REPLY; REPLY...` scripts a child's answer (default: continue).
///   Instead of replies: `timeout` (the reading, end-of-message or, on `negotiate`, the
///   connection timer fires), `write-timeout` (the command was never flushed), `closes`,
///   `garbage`, `silent` (no answer at all).
/// - `mta COMMAND` sends a command; the next line `=> REPLY; REPLY` lists exactly what the MTA
///   got (no `=>` line: it must get nothing).
/// - `NAME got: WORD, WORD...` the first words of every command the child got (no macros).
/// - `NAME saw: COMMAND` the child got exactly this command (or `macro STAGE ...` packet).
/// - `NAME not-saw: COMMAND` it never got this one.
/// - `log: TEXT` some log line contains TEXT; `no-log: TEXT` none does.
struct ScenarioRunner {
    struct Child {
        var definition: ChildDefinition
        var unreachable = false
        var negotiation = Negotiation(version: 6, actions: .all, steps: [])
        var scripts: [String: [String]] = [:]
        var counts: [MilterCommandCode: Int] = [:]
        var transcript: [MilterCommand] = []
    }

    var children: [Child] = []
    var settings = SessionSettings()
    var processingSessions = 1
    var stressThreshold = 0
    var coordinator: SessionCoordinator?
    var mtaOutput: [MilterReply] = []
    var logs: [String] = []
    var failures: [String] = []
    var clock = ManualClock()
    /// What the DNSBL look-up answers (`settings dnsbl=`).
    var dnsblVerdict = DNSBLVerdict(listedBy: [], timedOut: [], timeoutResult: .notListed)
    var dnsblDeferred = false
    /// The client of a deferred DNSBL look-up.
    var dnsblPending: ConnectAddress?
    /// The configuration `load` read, and the scripts of its conditions the children use.
    var loaded: ManagerConfiguration?
    var scripts: [ConditionScript] = []
    var directory: URL?

    final class ManualClock: @unchecked Sendable {
        var nanoseconds: UInt64 = 1_000_000_000
    }

    static func run(file: URL) throws -> [String] {
        var runner = ScenarioRunner()
        runner.directory = file.deletingLastPathComponent()
        let lines = try String(contentsOf: file, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        var pendingExpectation = false
        for (number, rawLine) in lines.enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let location = "\(file.lastPathComponent):\(number + 1)"
            if line.hasPrefix("=>") {
                pendingExpectation = false
                let expected = line.dropFirst(2).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                let got = runner.mtaOutput.map(ScenarioSyntax.describe)
                if got != expected { runner.failures.append("\(location): MTA got \(got), expected \(expected)") }
                runner.mtaOutput.removeAll()
                continue
            }
            if pendingExpectation, !runner.mtaOutput.isEmpty {
                runner.failures.append(
                    "\(location): MTA got \(runner.mtaOutput.map(ScenarioSyntax.describe)) unexpectedly")
            }
            pendingExpectation = false
            runner.mtaOutput.removeAll()
            do {
                if try runner.execute(Substring(line)) { pendingExpectation = true }
            } catch {
                runner.failures.append("\(location): \(error)")
            }
        }
        if pendingExpectation, !runner.mtaOutput.isEmpty {
            runner.failures.append("end: MTA got \(runner.mtaOutput.map(ScenarioSyntax.describe)) unexpectedly")
        }
        return runner.failures
    }

    /// Runs one line; true when it was an MTA command (so an expectation may follow).
    mutating func execute(_ line: Substring) throws -> Bool {
        let (word, rest) = ScenarioSyntax.split(line)
        switch word {
        case "child":
            try defineChild(rest)
        case "settings":
            for option in rest.split(separator: " ") {
                let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
                switch parts[0] {
                case "fallback": settings.fallbackStatus = try Self.status(parts[1])
                case "sessions": processingSessions = Int(parts[1])!
                case "stress": stressThreshold = Int(parts[1])!
                case "chunk": settings.chunkSize = Int(parts[1])!
                case "dnsbl" where parts[1] == "deferred":
                    dnsblDeferred = true
                case "dnsbl":
                    dnsblVerdict = DNSBLVerdict(
                        listedBy: parts[1] == "listed" ? ["bl.test.example"] : [], timedOut: [],
                        timeoutResult: .notListed)
                default: throw ScenarioSyntax.Failure(description: "unknown setting \(parts[0])")
                }
            }
        case "mta":
            let command = try ScenarioSyntax.command(rest)
            if coordinator == nil { start() }
            coordinator!.mtaCommand(command)
            process()
            return true
        case "load":
            try load(String(rest))
        case "dnsbl":
            guard let client = dnsblPending else { throw ScenarioSyntax.Failure(description: "no DNSBL look-up") }
            dnsblPending = nil
            let verdict = DNSBLVerdict(
                listedBy: rest == "listed" ? ["bl.test.example"] : [], timedOut: [], timeoutResult: .notListed)
            coordinator!.dnsblChecked(verdict, for: client)
            process()
            return true
        case "log:":
            let text = String(rest)
            if !logs.contains(where: { $0.contains(text) }) {
                failures.append("no log line contains \(text.debugDescription); logs: \(logs)")
            }
        case "no-log:":
            let text = String(rest)
            if let line = logs.first(where: { $0.contains(text) }) { failures.append("unexpected log line \(line)") }
        default:
            guard let index = children.firstIndex(where: { $0.definition.name == word }) else {
                throw ScenarioSyntax.Failure(description: "unknown line \(line)")
            }
            try childLine(index, rest)
        }
        return false
    }

    mutating func defineChild(_ text: Substring) throws {
        // Options run in order: `conditions=custom:...` needs the runner (a script index).
        let words = text.split(separator: " ").map(String.init)
        var child = Child(
            definition: ChildDefinition(name: words[0], connectionSpec: .unix(path: "/tmp/\(words[0]).sock")))
        for option in words.dropFirst() {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            switch parts[0] {
            case "unreachable": child.unreachable = true
            case "evaluation": child.definition.evaluationMode = true
            case "fallback": child.definition.fallbackStatus = try Self.status(parts[1])
            case "negotiate":
                let values = try parts[1].split(separator: ",").map { try ScenarioSyntax.number(String($0)) }
                child.negotiation = Negotiation(
                    version: values[0], actions: ActionFlags(rawValue: values[1]),
                    steps: ProtocolFlags(rawValue: values[2]))
            case "symbols":
                for entry in parts[1].split(separator: ";") {
                    let pair = entry.split(separator: ":")
                    let stage = MacroStage.allCases.first { "\($0)" == pair[0] }!
                    child.negotiation.macroRequests.append(
                        MacroRequest(stage: stage, symbols: pair[1].split(separator: "|").map(String.init)))
                }
            case "conditions":
                var conditions: [ApplicableCondition] = []
                for name in parts[1].split(separator: ",") { conditions.append(try condition(String(name))) }
                child.definition.conditions = conditions
            default: throw ScenarioSyntax.Failure(description: "unknown child option \(option)")
            }
        }
        children.append(child)
    }

    /// Reads a configuration file of conditions (`load FILE`).
    mutating func load(_ name: String) throws {
        let folder = directory!.appendingPathComponent("conditions")
        let file = folder.appendingPathComponent(name).path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let result = ConfigurationLoader(root: "/", loadPaths: [folder.path], platform: .unknown, detector: nil)
            .load(text: text, file: file)
        guard result.errors.isEmpty else {
            throw ScenarioSyntax.Failure(description: "\(name) does not load: \(result.errors)")
        }
        loaded = result.configuration
    }

    /// A condition of the loaded file, as the runtime runs it (its script gets the next index).
    mutating func custom(_ name: String) throws -> ApplicableCondition {
        guard case .custom(let custom)? = loaded?.applicableCondition(named: name)?.kind else {
            throw ScenarioSyntax.Failure(description: "no condition \(name) was loaded")
        }
        var program = ConditionProgram(rules: RuleEvaluator(custom))
        if let script = custom.script {
            scripts.append(script)
            program.script = scripts.count - 1
            program.scriptPath = script.path
        }
        return ApplicableCondition(name: name, rule: .custom(program))
    }

    mutating func condition(_ name: String) throws -> ApplicableCondition {
        switch name {
        case "s25r": return ApplicableCondition(name: "S25R", rule: .s25r(S25RParameters()))
        case "remote-network":
            return ApplicableCondition(name: "Remote Network", rule: .remoteNetwork(RemoteNetworkParameters()))
        case "authenticated": return ApplicableCondition(name: "Authenticated", rule: .authenticated)
        case "unauthenticated": return ApplicableCondition(name: "Unauthenticated", rule: .unauthenticated)
        case "trust": return ApplicableCondition(name: "Trust", rule: .trust(TrustParameters()))
        case "sendmail-compatible": return ApplicableCondition(name: "Sendmail Compatible", rule: .sendmailCompatible)
        case "no-stress": return ApplicableCondition(name: "No Stress", rule: .noStress(threshold: stressThreshold))
        case "stress-notify":
            return ApplicableCondition(name: "Stress Notify", rule: .stressNotify(threshold: stressThreshold))
        case "dnsbl-listed": return ApplicableCondition(name: "DNSBL Listed", rule: .dnsbl(applyWhenListed: true))
        case "not-dnsbl-listed":
            return ApplicableCondition(name: "Not DNSBL Listed", rule: .dnsbl(applyWhenListed: false))
        default:
            if name.hasPrefix("custom:") { return try custom(String(name.dropFirst(7))) }
            if name.hasPrefix("restrict:") {
                let accounts = name.dropFirst(9).split(separator: "|").map { TextMatcher.exact(String($0)) }
                return ApplicableCondition(
                    name: "Restrict Accounts", rule: .restrictAccounts(RestrictAccountsParameters(accounts: accounts)))
            }
            throw ScenarioSyntax.Failure(description: "unknown condition \(name)")
        }
    }

    static func status(_ word: String) throws -> MilterStatus {
        guard let fallback = FallbackStatus(nick: word) else {
            throw ScenarioSyntax.Failure(description: "bad status \(word)")
        }
        return MilterStatus(fallback)
    }

    mutating func childLine(_ index: Int, _ text: Substring) throws {
        let (word, rest) = ScenarioSyntax.split(text)
        switch word {
        case "on":
            guard let colon = rest.firstIndex(of: ":") else {
                throw ScenarioSyntax.Failure(description: "expected ':' in \(text)")
            }
            let key = String(rest[..<colon])
            children[index].scripts[key] = rest[rest.index(after: colon)...].split(separator: ";")
                .map { $0.trimmingCharacters(in: .whitespaces) }
        case "got:":
            let expected = rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let got = children[index].transcript.filter { $0.code != .macro }.map {
                String(ScenarioSyntax.describe($0).split(separator: " ").first!)
            }
            if got != expected {
                failures.append("\(children[index].definition.name) got \(got), expected \(expected)")
            }
        case "saw:", "not-saw:":
            let wanted = String(rest)
            let seen = children[index].transcript.map(ScenarioSyntax.describe)
            if seen.contains(wanted) != (word == "saw:") {
                failures.append(
                    "\(children[index].definition.name) \(word) \(wanted.debugDescription); transcript: \(seen)")
            }
        default:
            throw ScenarioSyntax.Failure(description: "unknown child line \(text)")
        }
    }

    mutating func start() {
        let clock = self.clock
        let sessions = processingSessions
        let lua = scripts.isEmpty ? nil : try? LuaConditionState(scripts: scripts.map { ($0.path, $0.source) })
        coordinator = SessionCoordinator(
            tag: 1, children: children.map(\.definition), childTags: children.indices.map { $0 + 2 },
            settings: settings,
            environment: SessionEnvironment(
                now: {
                    clock.nanoseconds += 1_000_000; return clock.nanoseconds
                }, processingSessions: { sessions }), scripts: lua)
    }

    /// Carries out actions until the state machine is quiet.
    mutating func process() {
        var pending = coordinator!.takeActions()
        while !pending.isEmpty {
            let action = pending.removeFirst()
            switch action {
            case .connectChild(let index):
                if children[index].unreachable {
                    coordinator!.childConnectFailed(index, reason: "Connection refused")
                } else {
                    coordinator!.childConnected(index)
                }
            case .sendToChild(let index, let commands, let timer):
                children[index].transcript += commands
                if timer != nil, let last = commands.last { respond(index, to: last) }
            case .sendToMTA(let replies):
                mtaOutput += replies
            case .sendBodyToMTA(let body):
                mtaOutput += SessionHarness.bodyReplies(body)
            case .log(let entry):
                logs.append(entry.message)
            case .checkDNSBL(let client):
                if dnsblDeferred {
                    dnsblPending = client
                } else {
                    coordinator!.dnsblChecked(dnsblVerdict, for: client)
                }
            case .cancelChildTimer, .restartChildTimer, .closeChild, .closeMTA:
                break
            }
            pending += coordinator!.takeActions()
        }
    }

    mutating func respond(_ index: Int, to command: MilterCommand) {
        let code = command.code
        if case .negotiate = command, children[index].scripts["negotiate"] == nil {
            coordinator!.childReply(index, .negotiate(children[index].negotiation))
            return
        }
        children[index].counts[code, default: 0] += 1
        let stage = ScenarioSyntax.describe(command).split(separator: " ").first.map(String.init) ?? ""
        let script =
            children[index].scripts["\(stage)#\(children[index].counts[code]!)"] ?? children[index].scripts[stage]
        for step in script ?? ["continue"] {
            switch step {
            case "timeout":
                let timer: ReplyTimer =
                    switch code {
                    case .endOfMessage: .endOfMessage
                    case .negotiate: .connection
                    default: .reading
                    }
                coordinator!.childTimeout(index, timer)
            case "write-timeout": coordinator!.childTimeout(index, .reading, writing: true)
            case "closes": coordinator!.childClosed(index)
            case "garbage": coordinator!.childError(index, "decode error: packet at offset 0: unknown code")
            case "silent": break
            default:
                do {
                    coordinator!.childReply(index, try ScenarioSyntax.reply(Substring(step)))
                } catch {
                    failures.append("bad scripted reply \(step): \(error)")
                }
            }
        }
    }
}
