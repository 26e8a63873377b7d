import Foundation
import MilterTestSupport
import Testing

@testable import milter_manager

/// Commands the launcher starts: as the user asked, in /, with a clean environment and
/// default signals, their output's end kept within bounds; failures of exec or of the user
/// switch are reported, not lost.
@Suite("Command processes", .serialized)
struct CommandProcessTests {
    static var isRoot: Bool { geteuid() == 0 }

    static func run(_ arguments: [String], as account: CommandProcess.Account? = nil) throws -> (Int32, String) {
        let process = try CommandProcess.start(arguments, environment: Launcher.environment, as: account).get()
        var status: Int32 = 0
        while waitpid(process.pid, &status, 0) < 0 && errno == EINTR {}
        try Subprocess.waitFor("the output to end") { process.readOutput() }
        return ((status >> 8) & 0xff, process.outputText)
    }

    @Test func itRunsInRootWithTheFixedEnvironment() throws {
        let (status, output) = try Self.run(["/bin/sh", "-c", "pwd; env | sort; exit 3"])
        #expect(status == 3)
        #expect(
            output == "/\nHOME=/\nLANG=C\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nPWD=/\n")
    }

    @Test func theOutputKeptIsItsEnd() throws {
        let (_, output) = try Self.run([
            "/bin/sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line $i; i=$((i+1)); done",
        ])
        #expect(output.utf8.count <= CommandProcess.tailLimit)
        #expect(output.hasSuffix("line 1999\n"))
    }

    @Test func anExecFailureIsReported() {
        let result = CommandProcess.start(["/nonexistent/start"], environment: [], as: nil)
        switch result {
        case .success: Issue.record("started a command that does not exist")
        case .failure(let failure): #expect(failure.description == "exec /nonexistent/start: No such file or directory")
        }
    }

    @Test(.enabled(if: isRoot, "needs root to switch users"))
    func itRunsAsTheUserAsked() throws {
        let account = try CommandProcess.account(named: "nobody").get()
        let (status, output) = try Self.run(["/usr/bin/id", "-u"], as: account)
        #expect(status == 0)
        #expect(output == "\(account.uid)\n")
    }

    @Test func anUnknownUserIsReported() {
        switch CommandProcess.account(named: "no-such-user-here") {
        case .success: Issue.record("found a user that does not exist")
        case .failure(let failure): #expect(failure.description == "unknown user no-such-user-here")
        }
    }
}
