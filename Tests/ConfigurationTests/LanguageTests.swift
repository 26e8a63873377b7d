import Configuration
import MilterProtocol
import Testing

/// The Ruby subset: each accepted construct and the value it produces.
@Suite struct LanguageTests {
    static func load(_ text: String) -> ConfigurationLoadResult {
        ConfigurationLoader.inMemory(platform: .unknown).load(text: text, file: "/etc/milter-manager/test.conf")
    }

    /// A statement and the `--show-config` line it must produce.
    struct LiteralCase: Sendable, CustomTestStringConvertible {
        var statement: String
        var printed: String
        var testDescription: String { statement }
    }

    static let literals: [LiteralCase] = [
        LiteralCase(statement: "manager.unix_socket_mode = 0660", printed: "manager.unix_socket_mode = 0660"),
        LiteralCase(statement: "manager.unix_socket_mode = 0o640", printed: "manager.unix_socket_mode = 0640"),
        LiteralCase(statement: "manager.unix_socket_mode = 0x1A0", printed: "manager.unix_socket_mode = 0640"),
        LiteralCase(statement: "manager.unix_socket_mode = 0b110_100_000", printed: "manager.unix_socket_mode = 0640"),
        LiteralCase(statement: "manager.max_connections = 1_000", printed: "manager.max_connections = 1000"),
        LiteralCase(statement: "manager.maintenance_interval = nil", printed: "manager.maintenance_interval = nil"),
        LiteralCase(statement: "manager.chunk_size = 100000", printed: "manager.chunk_size = 65535"),
        LiteralCase(statement: "manager.chunk_size = nil", printed: "manager.chunk_size = 65535"),
        LiteralCase(
            statement: "manager.suspend_time_on_unacceptable = nil",
            printed: "manager.suspend_time_on_unacceptable = 5"),
        LiteralCase(statement: "manager.fallback_status = :reject", printed: "manager.fallback_status = \"reject\""),
        LiteralCase(
            statement: "manager.fallback_status = \"TEMPORARY_FAILURE\"",
            printed: "manager.fallback_status = \"temporary-failure\""),
        LiteralCase(
            statement: "manager.event_loop_backend = \"libev\"", printed: "manager.event_loop_backend = \"libev\""),
        LiteralCase(statement: "security.privilege_mode = \"true\"", printed: "security.privilege_mode = true"),
        LiteralCase(statement: "security.effective_user = 'mail'", printed: "security.effective_user = \"mail\""),
        LiteralCase(statement: "security.effective_group = nil", printed: "security.effective_group = nil"),
        LiteralCase(
            statement: "log.path = \"/var/log/\\u00e9\\x41\\101\\t\"", printed: "log.path = \"/var/log/\u{e9}AA\\t\""),
        LiteralCase(statement: "log.path = 'a\\'b\\\\c\\n'", printed: "log.path = \"a'b\\\\c\\\\n\""),
        LiteralCase(
            statement: "log.level = \"all\"",
            printed: "log.level = \"critical|error|warning|message|info|debug|trace|statistics|profile\""),
        LiteralCase(statement: "log.level = \"none\"", printed: "log.level = \"none\""),
        LiteralCase(statement: "log.level = \"\"", printed: "log.level = \"default\""),
        LiteralCase(statement: "log.level = \"statistics | error\"", printed: "log.level = \"error|statistics\""),
        LiteralCase(statement: "package.options = {}", printed: ""),
        LiteralCase(
            statement: "package.options = \"prefix=/usr/pkg\"", printed: "package.options = \"prefix=/usr/pkg\""),
        LiteralCase(
            statement: "manager.connection_spec = \"inet6:10025@[::1]\"",
            printed: "manager.connection_spec = \"inet6:10025@[::1]\""),
        LiteralCase(
            statement: "controller.connection_spec = \"local:/run/c.sock\"",
            printed: "controller.connection_spec = \"local:/run/c.sock\""),
        LiteralCase(statement: "controller.unix_socket_mode = 0600", printed: "controller.unix_socket_mode = 0600"),
        LiteralCase(statement: "database.port = 3306", printed: "database.port = 3306"),
        LiteralCase(statement: "stress.threshold_n_connections = 0", printed: "stress.threshold_n_connections = 0"),
        LiteralCase(statement: "s25r.check_only_ipv4 = false", printed: "s25r.only_check_ipv4 = false"),
        LiteralCase(statement: "dnsbl.name_server = \"::1\"", printed: "dnsbl.name_servers = [\"::1\"]"),
        LiteralCase(statement: "trust.clear", printed: "trust.clear"),
        LiteralCase(
            statement: "s25r.add_whitelist /\\A[a-z]+\\.example\\z/mx",
            printed: "s25r.add_whitelist(/\\A[a-z]+\\.example\\z/mx)"),
        LiteralCase(statement: "s25r.add_blacklist(%r)", printed: ""),
    ]

    @Test(arguments: literals)
    func literalIsReadAndPrinted(_ literal: LiteralCase) {
        let result = Self.load(literal.statement + "\n")
        if literal.printed.isEmpty {
            #expect(!result.errors.isEmpty)
            return
        }
        #expect(result.errors.isEmpty, "\(result.errors)")
        let text = ConfigurationPrinter.render(result.configuration)
        #expect(
            text.contains("# /etc/milter-manager/test.conf:1\n" + literal.printed + "\n"), "\(literal.printed)")
    }

    @Test func commentsContinuationsAndSeparators() {
        let text = """
            # a comment
            =begin
            manager.max_connections = 1
            =end
            manager.max_connections = 2 # trailing comment
            manager.n_workers = 3; manager.packet_buffer_size = 4
            manager.connection_spec = \\
              "inet:10030"
            define_milter("a") do |milter| milter.enabled = false end
            define_milter("b") { |m| m.command_options = ["start", "b c", ""] }
            define_milter("c") do |milter|
              milter.applicable_conditions = [
                "S25R",   # the S25R rules
                "Trust",
              ]
            end
            """
        let result = Self.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let configuration = result.configuration
        #expect(configuration.manager.maxConnections.value == 2)
        #expect(
            configuration.manager.maxConnections.provenance
                == .file(.init(file: "/etc/milter-manager/test.conf", line: 5)))
        #expect(configuration.manager.nWorkers.value == 3)
        #expect(configuration.manager.packetBufferSize.value == 4)
        #expect(configuration.manager.connectionSpec.value.spec == .inet(port: 10030, host: nil))
        #expect(configuration.milter(named: "a")?.enabled.value == false)
        #expect(configuration.milter(named: "b")?.commandOptions.value == "start b\\ c ''")
        #expect(configuration.milter(named: "c")?.applicableConditionNames == ["S25R", "Trust"])
    }

    /// A fuzz finding: the newline after a continuation backslash was counted twice, so every
    /// later line (settings' origins, error positions) was reported one line too far per
    /// continuation.
    @Test func linesAfterContinuationsKeepTheirNumbers() {
        let text = """
            manager.connection_spec = \\
              "inet:10030"
            manager.max_connections = \\
              2
            manager.n_workers = 3
            manager.no_such_key = 1
            """
        let result = Self.load(text)
        let file = "/etc/milter-manager/test.conf"
        #expect(result.configuration.manager.maxConnections.value == 2)
        #expect(result.configuration.manager.nWorkers.provenance == .file(.init(file: file, line: 5)))
        #expect(result.errors.map(\.location.line) == [6], "\(result.errors)")
    }

    @Test func provenanceCommentsAreReadBack() {
        let text = """
            # default
            manager.max_connections = 7
            # detected: /etc/sysconfig/spamass-milter:3
            define_milter("spamass-milter") do |milter|
              # detected: /etc/sysconfig/spamass-milter:3
              milter.connection_spec = "inet:11120@[127.0.0.1]"
              # command line
              milter.enabled = false
            end
            # not a provenance comment
            manager.n_workers = 2

            # /etc/elsewhere.conf:9

            manager.packet_buffer_size = 8
            """
        let result = Self.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let configuration = result.configuration
        let spamass = configuration.milter(named: "spamass-milter")
        #expect(configuration.manager.maxConnections.provenance == .default)
        #expect(spamass?.definedAt == .detected(SourceLocation(file: "/etc/sysconfig/spamass-milter", line: 3)))
        #expect(
            spamass?.connectionSpec.provenance
                == .detected(SourceLocation(file: "/etc/sysconfig/spamass-milter", line: 3)))
        #expect(spamass?.enabled.provenance == .commandLine)
        #expect(
            configuration.manager.nWorkers.provenance
                == .file(SourceLocation(file: "/etc/milter-manager/test.conf", line: 11)))
        // A blank line between the comment and the statement: not an annotation.
        #expect(
            configuration.manager.packetBufferSize.provenance
                == .file(SourceLocation(file: "/etc/milter-manager/test.conf", line: 15)))
    }

    @Test func definedMiltersEachDisablesEveryMilter() {
        let text = """
            define_milter("a") do |milter| milter.connection_spec = "unix:/a" end
            define_milter("b") do |milter| milter.connection_spec = "unix:/b" end
            defined_milters.each do |name|
              define_milter(name) do |milter|
                milter.enabled = false
              end
            end
            """
        let result = Self.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.configuration.milters.map(\.enabled.value) == [false, false])
    }

    @Test func reopeningMergesAndKeepsThePlace() {
        let text = """
            define_milter("a") do |milter|
              milter.connection_spec = "unix:/a"
              milter.fallback_status = "reject"
              milter.evaluation_mode = true
            end
            define_milter("b") do |milter| milter.connection_spec = "unix:/b" end
            define_milter("a") do |milter|
              milter.description = "again"
            end
            remove_milter("b")
            remove_milter("never-defined")
            """
        let result = Self.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let milters = result.configuration.milters
        #expect(milters.map(\.name) == ["a"])
        #expect(milters[0].fallbackStatus.value == .reject)
        #expect(milters[0].evaluationMode.value == true)
        #expect(milters[0].connectionSpec.value?.text == "unix:/a")
        #expect(milters[0].description.value == "again")
    }

    @Test func conditionHelpersRecordTheirParameters() {
        let text = """
            s25r.add_whitelist("mx.example.com")
            remote_network.add_local_address("2001:db8::/32")
            trust.clear
            trust.add_envelope_from_domain(/\\.example\\.jp\\z/)
            dnsbl.add_service("bl.example.net")
            define_applicable_condition("S25R") do |condition|
              condition.description = "Mine"
            end
            restrict_accounts_by_list("bob@example.com")
            """
        let result = Self.load(text)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let parameters = result.configuration.conditionParameters
        #expect(parameters.s25r.whitelist.last?.value == .exact("mx.example.com"))
        #expect(parameters.s25r.whitelist.count == S25RParameters.defaultWhitelist.count + 1)
        if case .range(let range)? = parameters.remoteNetwork.localAddresses.first?.value {
            #expect(range.prefixLength == 32)
        } else {
            Issue.record("the first local address is not a network")
        }
        #expect(parameters.trust.envelopeFromDomains.map(\.value) == [.regex(RubyRegex(source: #"\.example\.jp\z"#))])
        #expect(parameters.dnsbl.services.last?.value == DNSBLService(domain: "bl.example.net", expected: nil))
        let conditions = result.configuration.applicableConditions
        #expect(conditions.first { $0.name == "S25R" }?.description.value == "Mine")
        #expect(conditions.last?.name == "Restrict Accounts by List: [\"bob@example.com\"]")
        #expect(
            conditions.last?.kind
                == .restrictAccounts(RestrictAccountsParameters(accounts: [.exact("bob@example.com")])))
    }

    @Test func builtInRulesMatchAsTheOriginalDoes() {
        let rules = S25RParameters.defaultBlacklist
        let dynamic = [
            "unknown", "[192.0.2.1]", "p1234-ipad12.example.ne.jp", "dhcp123.example.com", "a12345.example.com",
        ]
        for host in dynamic { #expect(rules.contains { $0.matches(host) }, "\(host)") }
        #expect(!rules.contains { $0.matches("mail.example.com") })
        #expect(S25RParameters.defaultWhitelist.contains { $0.matches("mail-ot1-f41.google.com") })
        let range = IPAddressRange(parsing: "127.0.0.10/31")
        #expect(range?.contains([127, 0, 0, 11]) == true)
        #expect(range?.contains([127, 0, 0, 12]) == false)
    }
}
