import Testing

@testable import milter_manager

/// What the launcher runs for a milter's command: split like a shell would (never run by
/// one), service commands as root (and as `systemctl start` on a systemd host), other programs
/// as `milter.user_name`.
@Suite("Launch plans")
struct LaunchPlanTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var command: String
        var options: String?
        var user: String?
        var systemd: Bool
        var arguments: [String]
        var runsAs: String?
        var note: Bool = false
        var testDescription: String { "\(command) \(options ?? "")\(systemd ? " (systemd)" : "")" }
    }

    static let executables: Set<String> = [
        "/usr/bin/systemctl", "/usr/sbin/service", "/etc/init.d/clamav-milter", "/usr/sbin/milter-greylist",
        "/sbin/start", "/usr/local/etc/rc.d/milter-greylist", "/bin/sh",
    ]

    static let cases: [Case] = [
        Case(
            command: "/etc/init.d/clamav-milter", options: "start", user: nil, systemd: false,
            arguments: ["/etc/init.d/clamav-milter", "start"], runsAs: nil),
        Case(
            command: "/etc/init.d/clamav-milter", options: "start", user: "clamav", systemd: true,
            arguments: ["/usr/bin/systemctl", "start", "clamav-milter"], runsAs: nil, note: true),
        Case(
            command: "/usr/sbin/service", options: "clamav-milter start", user: nil, systemd: true,
            arguments: ["/usr/bin/systemctl", "start", "clamav-milter"], runsAs: nil),
        Case(
            command: "/sbin/start", options: "clamav-milter", user: nil, systemd: true,
            arguments: ["/usr/bin/systemctl", "start", "clamav-milter"], runsAs: nil),
        Case(
            command: "/usr/bin/systemctl", options: "start milter-greylist", user: nil, systemd: true,
            arguments: ["/usr/bin/systemctl", "start", "milter-greylist"], runsAs: nil),
        Case(
            command: "/usr/local/etc/rc.d/milter-greylist", options: "start", user: nil, systemd: false,
            arguments: ["/usr/local/etc/rc.d/milter-greylist", "start"], runsAs: nil),
        // Not a plain `start`: the script runs as written, even under systemd.
        Case(
            command: "/etc/init.d/clamav-milter", options: "restart", user: nil, systemd: true,
            arguments: ["/etc/init.d/clamav-milter", "restart"], runsAs: nil),
        Case(
            command: "/usr/sbin/milter-greylist", options: "-u greylist -p '/run/milter greylist.sock'",
            user: "greylist", systemd: true,
            arguments: ["/usr/sbin/milter-greylist", "-u", "greylist", "-p", "/run/milter greylist.sock"],
            runsAs: "greylist"),
        Case(
            command: "milter-greylist", options: nil, user: nil, systemd: false,
            arguments: ["/usr/sbin/milter-greylist"], runsAs: nil),
        Case(
            command: "/bin/sh", options: "-c 'exec x; rm -rf /' \"a b\"", user: "nobody", systemd: false,
            arguments: ["/bin/sh", "-c", "exec x; rm -rf /", "a b"], runsAs: "nobody"),
    ]

    @Test(arguments: cases)
    func commandsBecomePlans(_ planCase: Case) throws {
        let result = LaunchPlan.make(
            command: planCase.command, options: planCase.options, userName: planCase.user,
            isSystemdHost: planCase.systemd, isExecutable: { Self.executables.contains($0) })
        let plan = try result.get()
        #expect(plan.arguments == planCase.arguments)
        #expect(plan.user == planCase.runsAs)
        #expect((plan.note != nil) == planCase.note)
    }

    static let refused: [(String, String?, String)] = [
        ("", nil, "the command is empty"),
        ("   ", "", "the command is empty"),
        ("/bin/sh", "-c 'unclosed", "the command line has a quote that is not closed"),
        ("./start", nil, "the command ./start is a relative path; write it from / (the launcher runs in /)"),
        ("bin/start", "start", "the command bin/start is a relative path; write it from / (the launcher runs in /)"),
        ("nosuch", nil, "the command nosuch is not in /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    ]

    @Test(arguments: refused)
    func badCommandsSayWhy(_ command: String, _ options: String?, _ message: String) {
        let result = LaunchPlan.make(
            command: command, options: options, userName: nil, isSystemdHost: false,
            isExecutable: { Self.executables.contains($0) })
        switch result {
        case .success(let plan): Issue.record("accepted: \(plan.arguments)")
        case .failure(let problem): #expect(problem.description == message)
        }
    }

    @Test func theCommandLineShownIsQuotedForAShell() throws {
        let plan = try LaunchPlan.make(
            command: "/bin/sh", options: "-c 'echo a b'", userName: nil, isSystemdHost: false,
            isExecutable: { _ in true }
        ).get()
        #expect(plan.commandLine == "/bin/sh -c echo\\ a\\ b")
    }
}
