import Foundation
import MilterTestSupport
import Testing

/// `milter-manager --check-config` on the original's shipped configuration (issue 11 §4).
@Suite("milter-manager --check-config")
struct CheckConfigTests {
    /// A copy of the original's shipped /etc/milter-manager with `local` as its local file.
    static func root(local: String?) throws -> URL {
        let root = try TestPaths.makeTemporaryDirectory("check")
        let source = TestPaths.fixtures.appendingPathComponent("config/original-shipped/etc")
        try FileManager.default.copyItem(at: source, to: root.appendingPathComponent("etc"))
        if let local {
            try local.write(
                to: root.appendingPathComponent("etc/milter-manager/milter-manager.local.conf"), atomically: true,
                encoding: .utf8)
        }
        return root
    }

    static func check(_ root: URL) throws -> (status: Int32, output: String, error: String) {
        try Subprocess.capture(
            try TestPaths.product("milter-manager").path,
            ["--root", root.path, "--platform", "debian", "--check-config"])
    }

    @Test func theShippedFilesAloneChangeNothing() throws {
        let root = try Self.root(local: nil)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Self.check(root)
        #expect(result.status == 0, "\(result.output)\(result.error)")
        let lines = result.output.split(separator: "\n").map(String.init)
        // Every shipped condition file is named as not read (built in), none is skipped silently.
        for name in ["authentication", "dnsbl", "remote-network", "restrict-accounts", "s25r", "stress", "trust"] {
            #expect(
                lines.contains {
                    $0.hasPrefix("/etc/milter-manager/applicable-conditions/\(name).conf: ")
                        && $0.contains("built in")
                })
        }
        #expect(lines.last?.hasPrefix("0 errors, 8 findings, 0 changing behaviour") == true, "\(lines)")
    }

    @Test func eachUnhonouredConstructIsListedWithItsPlace() throws {
        let local = """
            controller.connection_spec = "unix:/var/run/milter-manager/controller.sock"
            manager.n_workers = 4
            dnsbl.add_service("zen.spamhaus.org")
            define_milter("spamass-milter") do |milter|
              milter.connection_spec = "inet:11120@[127.0.0.1]"
              milter.applicable_conditions = ["Not DNSBL Listed"]
            end
            define_applicable_condition("Restrict Sender") do |condition|
              condition.define_envelope_from_stopper do |context, from|
                from !~ /@example\\.com\\z/
              end
            end
            manager.use_netstat_connection_checker(5)

            """
        let root = try Self.root(local: local)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Self.check(root)
        #expect(result.status == 78, "a Ruby stopper cannot run: the configuration does not load")
        let file = "/etc/milter-manager/milter-manager.local.conf"
        let lines = result.output.split(separator: "\n").map(String.init)
        let expectedPrefixes = [
            "\(file):2: manager.n_workers is ignored",
            "\(file):9: unsupported Ruby construct: condition.define_envelope_from_stopper; instead: ",
            "\(file):13: manager.connection_check_interval is ignored",
        ]
        for prefix in expectedPrefixes {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "missing \(prefix) in:\n\(result.output)")
        }
        // DNSBL conditions are evaluated: no finding for them.
        #expect(!lines.contains { $0.contains("DNSBL") }, "\(result.output)")
        // The stopper's error points to the table of Ruby idioms and their equivalents.
        #expect(lines.contains { $0.hasPrefix("\(file):9:") && $0.contains("From the original's Ruby") })
        // The Ruby inside the stopper is one error, not one per line of it.
        #expect(!lines.contains { $0.hasPrefix("\(file):10:") })
        // The control socket is served (milter-manager-ctl): no finding.
        #expect(!lines.contains { $0.hasPrefix("\(file):1:") }, "\(result.output)")
        #expect(lines.last?.hasPrefix("1 errors, 10 findings, 1 changing behaviour") == true, "\(lines)")
    }

    @Test func withoutTheStopperItLoadsAndExitsOneForABehaviourChange() throws {
        let root = try Self.root(local: "database.type = \"mysql\"\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Self.check(root)
        #expect(result.status == 1, "\(result.output)")
    }

    /// Issue 16: the control socket and children started in privilege mode are honoured, so
    /// the original's settings for them are no findings any more.
    @Test func theControlSocketAndStartedChildrenAreNoFindings() throws {
        let local = """
            controller.connection_spec = "unix:/run/mm-controller.sock"
            security.privilege_mode = true
            define_milter("spamass-milter") do |milter|
              milter.connection_spec = "inet:11120@[127.0.0.1]"
              milter.command = "/etc/init.d/spamass-milter"
              milter.command_options = "start"
            end

            """
        let root = try Self.root(local: local)
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Self.check(root)
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("controller") && !result.output.contains("not started"), "\(result.output)")
    }

    @Test func aCommentedKeyIsNotAFinding() throws {
        let root = try Self.root(local: "# manager.n_workers = 4\nmanager.max_connections = 10\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try Self.check(root)
        #expect(result.status == 0)
        #expect(!result.output.contains("n_workers"))
    }
}
