import Configuration
import Foundation
import MilterProtocol
import MilterSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a careless administrator or an attacker writes into milter-manager.conf, and what the
/// files under the configuration directory can be: every case is a clear error with its place,
/// never a crash, a hang, a silent default or a read outside the root (issue 9, classes 1-3,
/// 6 and 11).
@Suite struct HostileConfigurationTests {
    /// One numeric key at a value: accepted, or refused with a message naming the key.
    struct NumberCase: Sendable, CustomTestStringConvertible {
        var statement: String
        var accepted: Bool
        var testDescription: String { statement }
    }

    static let numbers: [NumberCase] = [
        NumberCase(statement: "milter.reading_timeout = 86400", accepted: true),
        NumberCase(statement: "milter.reading_timeout = 86400.5", accepted: false),
        NumberCase(statement: "milter.reading_timeout = 1e308", accepted: false),
        NumberCase(statement: "milter.reading_timeout = -1", accepted: false),
        NumberCase(statement: "milter.connection_timeout = 1e10", accepted: false),
        NumberCase(statement: "milter.writing_timeout = 0", accepted: true),
        NumberCase(statement: "milter.end_of_message_timeout = 99999999999", accepted: false),
        NumberCase(statement: "manager.suspend_time_on_unacceptable = 0", accepted: false),
        NumberCase(statement: "manager.suspend_time_on_unacceptable = 1", accepted: true),
        NumberCase(statement: "manager.suspend_time_on_unacceptable = 3600", accepted: true),
        NumberCase(statement: "manager.suspend_time_on_unacceptable = 9223372036854775807", accepted: false),
        NumberCase(statement: "manager.max_connections = 10000001", accepted: false),
        NumberCase(statement: "manager.max_connections = 10000000", accepted: true),
        NumberCase(statement: "manager.max_file_descriptors = 16777217", accepted: false),
        NumberCase(statement: "manager.maintenance_interval = 1000000001", accepted: false),
        NumberCase(statement: "manager.max_pending_finished_sessions = -1", accepted: false),
        NumberCase(statement: "manager.packet_buffer_size = 1073741825", accepted: false),
        NumberCase(statement: "manager.connection_check_interval = 86401", accepted: false),
        NumberCase(statement: "manager.chunk_size = 0", accepted: false),
        NumberCase(statement: "manager.n_workers = 1001", accepted: false),
        NumberCase(statement: "manager.unix_socket_mode = 01000", accepted: false),
        NumberCase(statement: "stress.threshold_n_connections = 10000001", accepted: false),
        NumberCase(statement: "database.port = 65536", accepted: false),
        NumberCase(statement: "manager.body_spool_threshold = -1", accepted: false),
        NumberCase(statement: "manager.body_spool_threshold = 0", accepted: true),
        NumberCase(statement: "manager.body_spool_threshold = 1073741824", accepted: true),
        NumberCase(statement: "manager.body_spool_threshold = 1073741825", accepted: false),
        // Not numbers, but the same rule: an empty, relative or control-character directory
        // would put spool files wherever the daemon's working directory is.
        NumberCase(statement: "manager.body_spool_directory = \"\"", accepted: false),
        NumberCase(statement: "manager.body_spool_directory = \"spool\"", accepted: false),
        NumberCase(statement: "manager.body_spool_directory = \"/var/tmp\\n/etc\"", accepted: false),
        NumberCase(statement: "manager.body_spool_directory = \"/var/spool/milter-manager\"", accepted: true),
    ]

    @Test(arguments: numbers)
    func numbersHaveRanges(_ row: NumberCase) {
        let text =
            row.statement.hasPrefix("milter.")
            ? "define_milter(\"m\") do |milter|\n  \(row.statement)\nend\n" : row.statement + "\n"
        let result = ConfigurationLoader.inMemory().load(text: text, file: "/etc/milter-manager/milter-manager.conf")
        if row.accepted {
            #expect(result.errors.isEmpty, "\(result.errors.map(\.kind.message))")
        } else {
            let key = String(row.statement.prefix { $0 != " " })
            #expect(result.errors.count == 1)
            let error = result.errors.first
            #expect(error?.kind.message.contains(key) == true, "\(error?.kind.message ?? "")")
            #expect(error?.location.line == (row.statement.hasPrefix("milter.") ? 2 : 1))
            #expect((error?.location.column ?? 0) > 0)
        }
    }

    @Test func aFloatTooLargeForADoubleIsNotANumber() {
        let result = ConfigurationLoader.inMemory().load(
            text: "define_milter(\"m\") do |milter|\n  milter.reading_timeout = 1e999\nend\n", file: "/x.conf")
        #expect(result.errors.map(\.kind.message) == ["expected a number, found \"1e999\""])
    }

    @Test func aHugeDetectedTarpitIsClampedWithAWarning() {
        var detector = FixedDetector.debian
        detector.report.milters[0].tarpitSeconds = .infinity
        let result = ConfigurationLoader.inMemory(detector: detector).load(text: "load_default\n", file: "/x.conf")
        #expect(result.errors.isEmpty)
        let greylist = result.configuration.milter(named: "milter-greylist")
        #expect(greylist?.readingTimeout.value == NumericLimits.timeoutSeconds.upperBound)
        #expect(greylist?.writingTimeout.value == NumericLimits.timeoutSeconds.upperBound)
        #expect(result.warnings.contains { $0.message.contains("tarpit of milter-greylist") })
    }

    /// Deep nesting is refused at the limit, not by the stack.
    @Test(arguments: [
        String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000),
        String(repeating: "[", count: 20_000),
        String(repeating: "[\n", count: 20_000) + String(repeating: "]", count: 20_000),
        String(repeating: "define_milter(\"x\") do |milter|\n", count: 3_000),
        String(repeating: "s25r.add_whitelist(", count: 10_000),
    ])
    func deepNestingIsAnError(_ value: String) {
        let text = "manager.connection_spec = " + value + "\nmanager.max_connections = 7\n"
        let result = ConfigurationLoader.inMemory().load(text: text, file: "/deep.conf")
        #expect(result.errors.contains { $0.kind == .nestingTooDeep(limit: 64) })
    }

    @Test func nestingWithinTheLimitLoads() {
        let list = String(repeating: "[", count: 30) + "\"10.0.0.0/8\"" + String(repeating: "]", count: 30)
        let result = ConfigurationLoader.inMemory().load(text: "x = \(list)\n", file: "/ok.conf")
        #expect(!result.errors.contains { $0.kind == .nestingTooDeep(limit: 64) })
    }

    @Test(arguments: ["unix:/run/a\nb.sock", "unix:/run/a\rb.sock", "unix:/run/\u{1B}[31m.sock", "unix:/run/a\tb"])
    func controlCharactersInAConnectionSpecAreRefused(_ spec: String) {
        let literal = RubyLiteral.inspect(spec)
        #expect(!literal.contains("\n"))
        let result = ConfigurationLoader.inMemory().load(
            text: "manager.connection_spec = \(literal)\n", file: "/x.conf")
        #expect(result.errors.count == 1)
        let message = result.errors.first?.kind.message ?? ""
        #expect(message.contains("control character"))
        #expect(!message.contains("\n") && !message.contains("\r") && !message.contains("\u{1B}"))
    }

    // MARK: - The manager's own socket as a child

    struct SelfCase: Sendable, CustomTestStringConvertible {
        var manager: String
        var child: String
        var refused: Bool
        var testDescription: String { "\(manager) / \(child)" }
    }

    static let selfCases: [SelfCase] = [
        SelfCase(manager: "unix:/run/mm.sock", child: "unix:/run/mm.sock", refused: true),
        SelfCase(manager: "unix:/run/mm.sock", child: "local:/run//./mm.sock", refused: true),
        SelfCase(manager: "unix:/run/mm.sock", child: "unix:/run/other.sock", refused: false),
        SelfCase(manager: "inet:10025", child: "inet:10025@localhost", refused: true),
        SelfCase(manager: "inet:10025", child: "inet:10025@[127.0.0.1]", refused: true),
        SelfCase(manager: "inet:10025", child: "inet:10025", refused: true),
        SelfCase(manager: "inet:10025@[127.0.0.1]", child: "inet:10025@localhost", refused: true),
        SelfCase(manager: "inet:10025@[127.0.0.1]", child: "inet:10026@[127.0.0.1]", refused: false),
        SelfCase(manager: "inet:10025@[192.0.2.1]", child: "inet:10025@[127.0.0.1]", refused: false),
        SelfCase(manager: "inet6:10025", child: "inet6:10025@[::1]", refused: true),
        SelfCase(manager: "inet:10025", child: "inet:10025@mail.example.org", refused: false),
    ]

    @Test(arguments: selfCases)
    func aChildOnTheManagersOwnSocketIsRefused(_ row: SelfCase) {
        let text = """
            manager.connection_spec = "\(row.manager)"
            define_milter("loop") do |milter|
              milter.connection_spec = "\(row.child)"
            end

            """
        let result = ConfigurationLoader.inMemory().load(text: text, file: "/etc/milter-manager/milter-manager.conf")
        if row.refused {
            #expect(result.errors.map(\.kind) == [.milterIsTheManager(milter: "loop", spec: row.child)])
            #expect(result.errors.first?.location.line == 3)
        } else {
            #expect(result.errors.isEmpty)
        }
    }

    @Test func aDisabledChildOnTheManagersSocketIsNotAnError() {
        let text = """
            manager.connection_spec = "unix:/run/mm.sock"
            define_milter("loop") do |milter|
              milter.connection_spec = "unix:/run/mm.sock"
              milter.enabled = false
            end

            """
        #expect(ConfigurationLoader.inMemory().load(text: text, file: "/x.conf").errors.isEmpty)
    }
}
