import Configuration
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Declarative condition rules, Lua script paths and table files in milter-manager.conf:
/// what they load to, the errors with file:line, `--show-config` round trips, and reloads
/// that read changed tables again.
@Suite struct ConditionRuleTests {
    /// A root with `/etc/milter-manager` holding the tables and a script.
    static func makeRoot() -> String {
        let root = TestFiles.temporaryDirectory("rules")
        let directory = root + "/etc/milter-manager"
        TestFiles.write("192.0.2.0/24 RELAY\n2001:db8::/32 RELAY\n", to: directory + "/relays.cidr")
        TestFiles.write("/\\.example\\.com$/ OK\n", to: directory + "/hosts.regexp")
        TestFiles.write("/^mail[0-9]+\\./ OK\n", to: directory + "/whitelist.pcre")
        TestFiles.write("postmaster@ OK\nvip@example.com OK\n", to: directory + "/accounts")
        TestFiles.write("function connect(context, host, address) return false end\n", to: directory + "/stop.lua")
        return root
    }

    static func load(_ text: String, root: String) -> ConfigurationLoadResult {
        ConfigurationLoader(root: root, loadPaths: ["/etc/milter-manager"], platform: .unknown, detector: nil)
            .load(text: text, file: "/etc/milter-manager/milter-manager.conf")
    }

    static let everyShape = """
        define_applicable_condition("Relays") do |condition|
          condition.description = "Not for our relays"
          condition.stop_if client_address: ["198.51.100.7", "cidr:relays.cidr"]
          condition.continue_if(stage: :helo, helo: /\\Amx\\d+\\./i)
          condition.stop_unless stage: :envelope_from, macro: "{auth_authen}", value: /./, scope: :session
          condition.stop_if recipient: "hash:/etc/milter-manager/accounts", scope: :message
          condition.stop_if stage: "end-of-header", child: "spamass-milter", result: [:reject, "discard"]
          condition.stop_if header: "X-Spam-Flag", value: "YES"
          condition.continue_unless stage: :data, client_host: "regexp:hosts.regexp"
          condition.lua_script = "stop.lua"
        end
        """

    @Test func everyRuleShapeLoads() throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        let result = Self.load(Self.everyShape, root: root)
        #expect(result.errors.isEmpty, "\(result.errors)")
        guard case .custom(let custom)? = result.configuration.applicableCondition(named: "Relays")?.kind else {
            Issue.record("not a custom condition")
            return
        }
        #expect(
            custom.rules.map(\.stage) == [
                .connect, .helo, .envelopeFrom, .envelopeRecipient, .endOfHeader, .header, .data,
            ])
        #expect(
            custom.rules.map(\.methodName) == [
                "stop_if", "continue_if", "stop_unless", "stop_if", "stop_if", "stop_if", "continue_unless",
            ])
        #expect(
            custom.rules.map(\.effect) == [
                .stop(.session), .continue, .stop(.session), .stop(.message), .stop(.message), .stop(.message),
                .continue,
            ])
        #expect(custom.rules[2].subject == .macro("auth_authen"))
        #expect(custom.rules[4].matchers == [.childResult(.reject), .childResult(.discard)])
        #expect(custom.script?.resolvedPath == "/etc/milter-manager/stop.lua")
        #expect(custom.script?.source.contains("function connect") == true)
        let relays = custom.rules[0].matchers
        #expect(relays[0].matches("198.51.100.7", kind: .address, foldsCase: true))
        #expect(relays[1].matches("192.0.2.9", kind: .address, foldsCase: true))
        #expect(!relays[1].matches("203.0.113.9", kind: .address, foldsCase: true))
        let accounts = custom.rules[3].matchers[0]
        #expect(accounts.matches("<Postmaster@example.org>", kind: .emailAddress, foldsCase: true))
        #expect(!accounts.matches("<user@example.org>", kind: .emailAddress, foldsCase: true))
    }

    @Test func printedRulesLoadBackToTheSameText() throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        let first = ConfigurationPrinter.render(Self.load(Self.everyShape, root: root).configuration)
        #expect(
            first.contains(#"condition.stop_if(stage: :connect, client_address: ["198.51.100.7", "cidr:relays.cidr"])"#)
        )
        #expect(first.contains(#"macro: "{auth_authen}", value: [/./], scope: :session)"#))
        #expect(first.contains(#"child: "spamass-milter", result: [:reject, :discard])"#))
        #expect(first.contains(#"condition.lua_script = "stop.lua""#))
        let reloaded = Self.load(first, root: root)
        #expect(reloaded.errors.isEmpty, "\(reloaded.errors)")
        #expect(ConfigurationPrinter.render(reloaded.configuration) == first)
    }

    @Test func aReloadReadsChangedTablesAgain() throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        let text = """
            define_applicable_condition("Relays") do |condition|
              condition.stop_if client_address: "cidr:relays.cidr"
            end
            remote_network.add_local_address("cidr:/etc/milter-manager/relays.cidr")
            """
        func matches(_ address: String) -> (rule: Bool, local: Bool) {
            let configuration = Self.load(text, root: root).configuration
            guard case .custom(let custom)? = configuration.applicableCondition(named: "Relays")?.kind,
                let local = configuration.conditionParameters.remoteNetwork.localAddresses.first?.value,
                let bytes = IPAddressRange.parseAddress(address)
            else { return (false, false) }
            return (
                custom.rules[0].matchers[0].matches(address, kind: .address, foldsCase: true), local.contains(bytes)
            )
        }
        #expect(matches("203.0.113.5") == (false, false))
        TestFiles.write("203.0.113.0/24 NEW\n", to: root + "/etc/milter-manager/relays.cidr")
        #expect(matches("203.0.113.5") == (true, true))
        #expect(matches("192.0.2.1") == (false, false))
    }

    @Test func builtInHelpersTakeTables() throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        let text = """
            s25r.add_whitelist("pcre:whitelist.pcre")
            trust.add_envelope_from_domain("regexp:/etc/milter-manager/hosts.regexp")
            remote_network.add_remote_address("cidr:relays.cidr")
            restrict_accounts_by_list("hash:accounts", condition_name: "Accounts")
            """
        let result = Self.load(text, root: root)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let parameters = result.configuration.conditionParameters
        #expect(parameters.s25r.whitelist.last?.value.matches("mail12.dyn.example", as: .hostName) == true)
        #expect(parameters.trust.envelopeFromDomains.last?.value.matches("www.example.com", as: .hostName) == true)
        #expect(parameters.remoteNetwork.remoteAddresses.last?.value.contains([192, 0, 2, 1]) == true)
        guard case .restrictAccounts(let accounts)? = result.configuration.applicableCondition(named: "Accounts")?.kind
        else {
            Issue.record("no Accounts condition")
            return
        }
        #expect(accounts.accounts.first?.matches("vip@example.com", as: .emailAddress) == true)
        let printed = ConfigurationPrinter.render(result.configuration)
        #expect(printed.contains(#"s25r.add_whitelist("pcre:whitelist.pcre")"#))
        #expect(printed.contains(#"remote_network.add_remote_address("cidr:relays.cidr")"#))
        let reloaded = Self.load(printed, root: root)
        #expect(reloaded.errors.isEmpty, "\(reloaded.errors)")
        #expect(ConfigurationPrinter.render(reloaded.configuration) == printed)
    }

    /// A mistake and the exact `FILE:LINE: MESSAGE` it gives.
    struct Mistake: Sendable, CustomTestStringConvertible {
        var statement: String
        var message: String
        var testDescription: String { message }
    }

    static let conf = "/etc/milter-manager/milter-manager.conf:2: "

    static let mistakes: [Mistake] = [
        Mistake(
            statement: "condition.stop_if stage: :connect, recipient: \"a@b\"",
            message: conf + "recipient is not known at :connect"),
        Mistake(
            statement: "condition.stop_if client_address: \"192.0.2.1\", scope: :message",
            message: conf + "a stop at connect cannot have the scope \"message\""),
        Mistake(
            statement: "condition.stop_if stage: :connect", message: conf + "condition.stop_if needs what to look at"),
        Mistake(
            statement: "condition.stop_if helo: \"a\", sender: \"b\"",
            message: conf + "condition.stop_if looks at one thing, not helo and sender"),
        Mistake(
            statement: "condition.stop_if stage: :helo, macro: \"{x}\"",
            message: conf + "condition.stop_if with macro: needs value:"),
        Mistake(
            statement: "condition.stop_if macro: \"{x}\", value: \"y\"",
            message: conf + "condition.stop_if with macro: needs stage:"),
        Mistake(
            statement: "condition.stop_if stage: :data, child: \"x\", result: :maybe",
            message: conf + "invalid value for condition.stop_if result: \"maybe\""),
        Mistake(
            statement: "condition.stop_if stage: :soon, helo: \"x\"",
            message: conf + "invalid value for condition.stop_if stage: \"soon\""),
        Mistake(
            statement: "condition.stop_if client_address: \"mx.example.com\"",
            message: conf + "invalid value for condition.stop_if client_address: \"mx.example.com\""),
        Mistake(
            statement: "condition.stop_if helo: /a(/", message: conf + "invalid regular expression /a(/"),
        Mistake(
            statement: "condition.stop_if helo: /^(a+)+$/",
            message: conf + "invalid regular expression /^(a+)+$/: it repeats a repetition"),
        Mistake(statement: "condition.stop_if helo: []", message: conf + "condition.stop_if has an empty match list"),
        Mistake(
            statement: "condition.continue_if helo: \"a\", scope: :session",
            message: conf + "condition.continue_if takes no scope:"),
        Mistake(
            statement: "condition.stop_if helo: \"a\", sope: 1",
            message: conf + "unknown key \"condition.stop_if option sope\""),
        Mistake(statement: "condition.stop_if \"a\"", message: conf + "condition.stop_if takes name: value options"),
        Mistake(
            statement: "condition.stop_if helo: \"cidr:missing.cidr\"",
            message: conf + "no file matches \"/etc/milter-manager/missing.cidr\" in the load path"),
        Mistake(
            statement: "condition.stop_if helo: \"regexp:bad.regexp\"",
            message: "/etc/milter-manager/bad.regexp:2: invalid regular expression \"(\""),
        Mistake(
            statement: "condition.stop_if helo: \"hash:binary.db\"",
            message: "/etc/milter-manager/binary.db:2: the table holds binary data (a NUL byte)"),
        Mistake(
            statement: "condition.lua_script = \"missing.lua\"",
            message: conf + "no file matches \"/etc/milter-manager/missing.lua\" in the load path"),
        Mistake(
            statement: "condition.define_helo_stopper do |context, helo|\n  true\nend",
            message: conf + "unsupported Ruby construct: condition.define_helo_stopper"),
    ]

    @Test(arguments: mistakes)
    func everyMistakeNamesItsLine(_ mistake: Mistake) throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        TestFiles.write("/ok/ OK\n/(/ BAD\n", to: root + "/etc/milter-manager/bad.regexp")
        _ = FileManager.default.createFile(
            atPath: root + "/etc/milter-manager/binary.db", contents: Data([0x61, 0x20, 0x62, 0x0A, 0x00, 0x01]))
        let text = "define_applicable_condition(\"Mine\") do |condition|\n" + mistake.statement + "\nend\n"
        let result = Self.load(text, root: root)
        #expect(result.errors.contains { $0.description.hasPrefix(mistake.message) }, "\(result.errors)")
    }

    @Test func hostileTableFilesAreRefusedByName() throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        let directory = root + "/etc/milter-manager"
        mkfifo(directory + "/fifo.cidr", 0o600)
        symlink("/etc/passwd", directory + "/escape.cidr")
        symlink("loop.cidr", directory + "/loop.cidr")
        let big = fopen(directory + "/big.cidr", "w")!
        fseek(big, PostfixTable.sizeLimit, SEEK_SET)
        fputs("x", big)
        fclose(big)
        let text = """
            define_applicable_condition("Hostile") do |condition|
              condition.stop_if client_address: "cidr:fifo.cidr"
              condition.stop_if client_address: "cidr:escape.cidr"
              condition.stop_if client_address: "cidr:loop.cidr"
              condition.stop_if client_address: "cidr:big.cidr"
            end
            """
        let result = Self.load(text, root: root)
        let conf = "/etc/milter-manager/milter-manager.conf"
        #expect(
            result.errors.map(\.description) == [
                "\(conf):2: cannot read /etc/milter-manager/fifo.cidr: it is a FIFO, not a regular file",
                // The link's target is taken inside the root, where /etc/passwd does not exist.
                "\(conf):3: cannot read /etc/milter-manager/escape.cidr: it is a dangling symbolic link",
                "\(conf):4: cannot read /etc/milter-manager/loop.cidr: too many levels of symbolic links",
                "\(conf):5: cannot read /etc/milter-manager/big.cidr: it is larger than \(PostfixTable.sizeLimit) bytes",
            ])
    }

    @Test func rulesCannotBeAddedToBuiltInConditions() {
        let result = Self.load(
            "define_applicable_condition(\"S25R\") do |condition|\n  condition.stop_if helo: \"x\"\nend\n",
            root: "/nonexistent-root")
        #expect(
            result.errors.map(\.description) == [
                "/etc/milter-manager/milter-manager.conf:2: \"S25R\" is a built-in condition; rules cannot be added to it"
            ])
    }

    @Test func aConditionWithRulesGetsNoNeverStopsWarning() {
        let result = Self.load(
            "define_applicable_condition(\"A\") do |c|\n  c.stop_if helo: \"x\"\nend\n"
                + "define_applicable_condition(\"B\") do |c|\n  c.description = \"only\"\nend\n",
            root: "/nonexistent-root")
        #expect(result.errors.isEmpty)
        #expect(
            result.warnings.map(\.message) == [
                "applicable condition \"B\" has no rules or script here and never stops a milter"
            ])
    }

    /// A checker standing for MilterScripting's: reports line 1 of every script.
    struct RefusingChecker: ConditionScriptChecking {
        func problems(in source: String, file: String) -> [(line: Int, message: String)] {
            [(1, "unexpected symbol near 'x'")]
        }
    }

    @Test func scriptProblemsAreReportedAtTheScriptsLine() throws {
        let root = Self.makeRoot()
        defer { TestFiles.remove(root) }
        var loader = ConfigurationLoader(
            root: root, loadPaths: ["/etc/milter-manager"], platform: .unknown, detector: nil)
        loader.scriptChecker = RefusingChecker()
        let result = loader.load(
            text: "define_applicable_condition(\"L\") do |c|\n  c.lua_script = \"stop.lua\"\nend\n",
            file: "/etc/milter-manager/milter-manager.conf")
        #expect(
            result.errors.map(\.description) == [
                "/etc/milter-manager/stop.lua:1: Lua script: unexpected symbol near 'x'"
            ])
    }
}
