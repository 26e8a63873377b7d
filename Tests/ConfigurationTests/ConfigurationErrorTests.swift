import Configuration
import Testing

/// One bad input and exactly what the loader reports for it.
struct ErrorCase: Sendable, CustomTestStringConvertible {
    /// The configuration text (loaded as /etc/milter-manager/milter-manager.conf).
    var text: String
    /// `FILE:LINE: MESSAGE`, as the first line of the command-line report.
    var message: String
    /// The column the report points at.
    var column: Int?
    /// The hint line, if any.
    var hint: String?

    var testDescription: String { message }

    init(_ text: String, _ message: String, column: Int?, hint: String? = nil) {
        self.text = text
        self.message = message
        self.column = column
        self.hint = hint
    }
}

/// The parser's error table: every bad input with the exact message expected.
@Suite struct ConfigurationErrorTests {
    static let file = "/etc/milter-manager/milter-manager.conf"
    static let conf = file + ":"

    static let cases: [ErrorCase] = [
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.conection_spec = \"inet:10025\"\nend\n",
            conf + "2: unknown key \"milter.conection_spec\"", column: 3,
            hint: "did you mean \"milter.connection_spec\"?"),
        ErrorCase(
            "manager.conection_spec = \"inet:10025\"\n", conf + "1: unknown key \"manager.conection_spec\"", column: 1,
            hint: "did you mean \"manager.connection_spec\"?"),
        ErrorCase(
            "manager.frobnicate = 1\n", conf + "1: unknown key \"manager.frobnicate\"", column: 1,
            hint: "see `milter-manager --show-config` for every key"),
        ErrorCase(
            "manager.unix_socket_mode = \"0660\"\n",
            conf + "1: manager.unix_socket_mode must be an integer, not a string (\"0660\")", column: 1,
            hint: "write an octal number without quotes, e.g. 0660"),
        ErrorCase(
            "manager.unix_socket_mode = 0o1000\n",
            conf + "1: invalid value for manager.unix_socket_mode: 512 (must be 0..511)", column: 1),
        ErrorCase(
            "security.privilege_mode = \"yes\"\n",
            conf + "1: invalid value for security.privilege_mode: \"yes\" (true or false)", column: 1),
        ErrorCase(
            "manager.connection_spec = \"tcp:10025\"\n",
            conf + "1: invalid connection spec for manager.connection_spec: "
                + "protocol must be 'unix', 'local', 'inet' or 'inet6': <tcp:10025>", column: 1,
            hint: "write unix:/path, inet:PORT@HOST, inet:PORT@[ADDRESS] or inet6:PORT@[ADDRESS]"),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.fallback_status = \"default\"\nend\n",
            conf + "2: invalid value for milter.fallback_status: \"default\" "
                + "(one of \"accept\", \"reject\", \"temporary-failure\", \"discard\")", column: 3),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.applicable_conditions = [\"S25\"]\nend\n",
            conf + "2: unknown applicable condition \"S25\"", column: 3,
            hint: "defined conditions: \"Authenticated\", \"Unauthenticated\", \"DNSBL Listed\", "
                + "\"Not DNSBL Listed\", \"Remote Network\", \"S25R\", \"Sendmail Compatible\", "
                + "\"Stress Notify\", \"No Stress\", \"Trust\""),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.enabled = \"true\"\nend\n",
            conf + "2: milter.enabled must be true or false, not a string (\"true\")", column: 3,
            hint: "write true or false without quotes"),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.name = \"y\"\nend\n",
            conf + "2: milter.name cannot be assigned",
            column: 3),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.writing_timeout = \"7\"\nend\n",
            conf + "2: milter.writing_timeout must be a number of seconds, not a string (\"7\")", column: 3,
            hint: "write the number without quotes"),
        ErrorCase(
            "if true\n  load_default\nend\n", conf + "1: unsupported Ruby construct: \"if\"", column: 1,
            hint: "conditional code needs Ruby; the Swift milter manager reads a fixed subset "
                + "(settings, define_milter blocks, load calls, condition helpers)"),
        ErrorCase(
            "manager.connection_spec = \"unix:/x\n", conf + "1: unterminated string", column: 27,
            hint: "close the string with the same quote on the same line"),
        ErrorCase(
            "manager.pid_file = \"/run/#{name}.pid\"\n",
            conf + "1: unsupported Ruby construct: string interpolation \"#{...}\"", column: 20,
            hint: "write the value out, or escape it as \\#{"),
        ErrorCase(
            "load \"missing.conf\"\n", conf + "1: no file matches \"missing.conf\" in the load path", column: 1),
        ErrorCase(
            "define_milter(\"x\")\n", conf + "1: define_milter needs a block", column: 1,
            hint: "write define_milter(\"NAME\") do |x| ... end"),
        ErrorCase(
            "laod_default\n", conf + "1: unknown name \"laod_default\"", column: 1,
            hint: "did you mean \"load_default\"?"),
        ErrorCase(
            "lod(\"x.conf\")\n", conf + "1: unknown method \"lod\"", column: 1, hint: "did you mean \"load\"?"),
        ErrorCase(
            "s25r.add_whitlist(/\\.example\\.com\\z/)\n", conf + "1: unknown method \"s25r.add_whitlist\"", column: 1,
            hint: "did you mean \"s25r.add_whitelist\"?"),
        ErrorCase(
            "manager.n_workers = 2000\n", conf + "1: invalid value for manager.n_workers: 2000 (must be 0..1000)",
            column: 1),
        ErrorCase(
            "x = 1\n", conf + "1: unsupported Ruby construct: assignment to the local variable \"x\"", column: 1,
            hint: "only settings can be assigned, e.g. manager.connection_spec = \"...\""),
        ErrorCase(
            "manager.max_connections = 1 + 1\n", conf + "1: unsupported Ruby construct: operator \"+\"", column: 29,
            hint: "milter-manager.conf supports literals, settings and calls, not computations"),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.enabled = false\n",
            conf + "1: block opened on line 1 has no end",
            column: 20),
        ErrorCase(
            "require \"milter/manager\"\n", conf + "1: unsupported Ruby construct: \"require\"", column: 1,
            hint: "there is no Ruby interpreter; the configuration is read by a parser for a fixed subset"),
        ErrorCase(
            "define_applicable_condition(\"Mine\") do |condition|\n"
                + "  condition.define_connect_stopper do |context, host, address|\n    true\n  end\nend\n",
            conf + "2: unsupported Ruby construct: condition.define_connect_stopper", column: 3,
            hint: "stoppers are Ruby code; write rules (condition.stop_if(...)) or a Lua script "
                + "(condition.lua_script = \"FILE.lua\"): see the table \"From the original's Ruby\" in "
                + "docs/conditions.md"),
        ErrorCase(
            "log.level = \"verbose\"\n",
            conf + "1: invalid value for log.level: \"verbose\" (level names joined with |: all, default, none, "
                + "critical, error, warning, message, info, debug, trace, statistics, profile)", column: 1),
        ErrorCase(
            "log.syslog_facility = \"mial\"\n",
            conf + "1: invalid value for log.syslog_facility: \"mial\" (one of \"auth\", \"authpriv\", \"cron\", "
                + "\"daemon\", \"ftp\", \"kern\", \"local0\", \"local1\", \"local2\", \"local3\", \"local4\", "
                + "\"local5\", \"local6\", \"local7\", \"lpr\", \"mail\", \"news\", \"user\", \"uucp\")", column: 1),
        ErrorCase(
            "remote_network.add_local_address(\"10.0.0.0/33\")\n",
            conf + "1: invalid value for remote_network.add_local_address: \"10.0.0.0/33\" "
                + "(an address, a CIDR network or a table such as \"cidr:/path\")", column: 1),
        ErrorCase(
            "DebianDetector.new(configuration, \"spamass-milter\").detect\n",
            conf + "1: unsupported Ruby construct: constant \"DebianDetector\"", column: 1,
            hint: "detectors and Ruby classes are not available; use load_default for detection"),
        ErrorCase(
            "manager.chunk_size += 1\n", conf + "1: unsupported Ruby construct: \"+=\" on manager.chunk_size",
            column: 1,
            hint: "only milter.applicable_conditions supports +=; use ="),
        ErrorCase(
            "manager.connection_spec \"inet:1\"\n",
            conf + "1: unsupported Ruby construct: reading manager.connection_spec", column: 1,
            hint: "settings can be assigned, not read"),
        ErrorCase(
            "define_milter(\"x\") do |milter|\n  milter.connection_spec = \"inet:99999\"\nend\n",
            conf + "2: invalid connection spec for milter.connection_spec: port number must be 65535 or less: "
                + "<inet:99999>", column: 3,
            hint: "write unix:/path, inet:PORT@HOST, inet:PORT@[ADDRESS] or inet6:PORT@[ADDRESS]"),
        ErrorCase(
            "manager.connection_spec = 'unix:/x' 'y'\n", conf + "1: expected end of line, found string \"y\"",
            column: 37),
        ErrorCase(
            "restrict_accounts_by_list(\"a@example.com\", conditon_name: \"R\")\n",
            conf + "1: unknown key \"restrict_accounts_by_list option conditon_name\"", column: 1,
            hint: "did you mean \"condition_name\"?"),
    ]

    @Test(arguments: cases)
    func reportsExactly(_ errorCase: ErrorCase) {
        let result = ConfigurationLoader.inMemory().load(text: errorCase.text, file: Self.file)
        #expect(result.errors.count == 1, "\(result.errors)")
        guard let error = result.errors.first else { return }
        #expect(error.description == errorCase.message)
        #expect(error.location.column == errorCase.column)
        #expect(error.hint == errorCase.hint)
    }

    @Test func loadingGoesOnAfterAnError() {
        let text = """
            manager.conection_spec = "inet:10025"
            manager.connection_spec = "inet:10026@[127.0.0.1]"
            define_milter("a") do |milter|
              milter.enabled = maybe
              milter.connection_spec = "unix:/run/a.sock"
            end
            manager.max_connections = 3
            """
        let result = ConfigurationLoader.inMemory().load(text: text, file: Self.file)
        #expect(
            result.errors.map(\.description) == [
                Self.conf + "1: unknown key \"manager.conection_spec\"",
                Self.conf + "4: unknown name \"maybe\"",
            ])
        #expect(result.configuration.manager.connectionSpec.value.text == "inet:10026@[127.0.0.1]")
        #expect(result.configuration.milter(named: "a")?.connectionSpec.value?.text == "unix:/run/a.sock")
        #expect(result.configuration.manager.maxConnections.value == 3)
    }

    @Test func commandLineReportShowsTheLineAndTheHint() {
        let error = ConfigurationError(
            .unknownKey("milter.conection_spec", suggestion: "milter.connection_spec"),
            at: SourceLocation(file: Self.file, line: 12, column: 3))
        let report = ConfigurationErrorReport.render(
            error, program: "milter-manager", sourceLine: "  milter.conection_spec = \"inet:10025\"")
        #expect(
            report == """
                milter-manager: /etc/milter-manager/milter-manager.conf:12: unknown key "milter.conection_spec"
                      milter.conection_spec = "inet:10025"
                      ^ column 3
                  hint: did you mean "milter.connection_spec"?
                """)
    }

    @Test func invalidRegexNamesTheExpression() {
        let result = ConfigurationLoader.inMemory().load(text: "s25r.add_whitelist(/a(/)\n", file: Self.file)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.description.hasPrefix(Self.conf + "1: invalid regular expression /a(/: ") == true)
    }
}
