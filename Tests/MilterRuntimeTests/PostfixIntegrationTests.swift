import Foundation
import MilterTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real thing: a private Postfix on loopback whose only milter is milter-manager, with a
/// libmilter child and a pymilter child, all started here.
@Suite(
    "Postfix → milter-manager → libmilter + pymilter", .serialized, .enabled(if: getuid() == 0, "Postfix needs root"))
struct PostfixIntegrationTests {
    final class Bench {
        let directory: URL
        let libmilter: Subprocess
        var pymilter: Subprocess
        let manager: Subprocess
        let postfix: PostfixInstance

        init(fallback: String = "accept") throws {
            directory = try TestPaths.makeTemporaryDirectory("pf")
            let (libmilter, libmilterSocket) = try RealMilters.startTestMilter(
                in: directory, name: "libmilter",
                options: ["--add-header", "X-Libmilter:yes", "--reject-subject", "REJECTME"])
            self.libmilter = libmilter
            let pySocket = directory.appendingPathComponent("pymilter.sock").path
            pymilter = try RealMilters.startPymilter("pymilter_tag.py", spec: "unix:" + pySocket, in: directory)
            try Subprocess.waitFor("pymilter socket") { FileManager.default.fileExists(atPath: pySocket) }
            let etc = directory.appendingPathComponent("etc")
            try FileManager.default.createDirectory(at: etc, withIntermediateDirectories: true)
            let managerSocket = directory.appendingPathComponent("manager.sock").path
            let config = """
                # milter-manager.conf for the Postfix integration test
                security.effective_user = "nobody"
                security.effective_group = "nogroup"
                manager.connection_spec = "unix:\(managerSocket)"
                manager.unix_socket_mode = 0666
                manager.pid_file = nil
                log.use_syslog = false
                define_milter("libmilter") do |milter|
                  milter.connection_spec = "unix:\(libmilterSocket)"
                  milter.fallback_status = "\(fallback)"
                end
                define_milter("pymilter") do |milter|
                  milter.connection_spec = "unix:\(pySocket)"
                  milter.fallback_status = "\(fallback)"
                end

                """
            try config.write(to: etc.appendingPathComponent("milter-manager.conf"), atomically: true, encoding: .utf8)
            let manager = try Subprocess(
                try TestPaths.product("milter-manager").path,
                ["--config-dir", etc.path, "--no-daemon", "--verbose"],
                log: directory.appendingPathComponent("manager.log"))
            self.manager = manager
            try Subprocess.waitFor("milter-manager to listen") {
                FileManager.default.fileExists(atPath: managerSocket) || !manager.process.isRunning
            }
            guard manager.process.isRunning else { throw TestSupportError("milter-manager exited: \(manager.log)") }
            postfix = try PostfixInstance(in: directory, milter: "unix:" + managerSocket)
        }

        func tearDown() {
            postfix.stop()
            manager.stop()
            libmilter.kill9()
            pymilter.kill9()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func mailFlowsThroughBothChildrenAndRejectsReachTheClient() throws {
        let bench = try Bench()
        defer { bench.tearDown() }

        let accepted = try bench.postfix.send(subject: "hello through the manager")
        #expect(accepted.contains("250 2.0.0 Ok: queued"), "\(accepted)\n\(bench.manager.log)")
        let delivered = try bench.postfix.waitForDeliveries(1)
        #expect(delivered[0].contains("X-Libmilter: yes"))
        #expect(delivered[0].contains("X-Pymilter-Tag: pymilter"))
        #expect(delivered[0].contains("Subject: hello through the manager"))

        let rejectedByC = try bench.postfix.send(subject: "please REJECTME")
        #expect(rejectedByC.contains("550 5.7.1 rejected by testmilter"), "\(rejectedByC)")
        let rejectedByPython = try bench.postfix.send(subject: "please PYREJECT")
        #expect(rejectedByPython.contains("550 5.7.1 rejected by the pymilter test child"), "\(rejectedByPython)")
        #expect(bench.postfix.maillog.contains("milter-reject: END-OF-MESSAGE"))
        #expect(bench.postfix.deliveredMessages().count == 1)

        // One child dies: with fallback accept the mail still flows, with the other's change.
        bench.pymilter.kill9()
        let afterKill = try bench.postfix.send(subject: "after the pymilter child died")
        #expect(afterKill.contains("250 2.0.0 Ok: queued"), "\(afterKill)\n\(bench.manager.log)")
        let all = try bench.postfix.waitForDeliveries(2)
        let last = all.first { $0.contains("after the pymilter child died") } ?? ""
        #expect(last.contains("X-Libmilter: yes"))
        #expect(!last.contains("X-Pymilter-Tag"))
        #expect(bench.manager.log.contains("[statistics] [session][end]"))
    }

    @Test func aDeadChildWithTempfailFallbackTempfailsTheClient() throws {
        let bench = try Bench(fallback: "temporary-failure")
        defer { bench.tearDown() }
        bench.pymilter.kill9()
        let transcript = try bench.postfix.send(subject: "child is down")
        #expect(transcript.contains("451 4.7.1"), "\(transcript)")
        #expect(bench.postfix.deliveredMessages().isEmpty)
    }
}
