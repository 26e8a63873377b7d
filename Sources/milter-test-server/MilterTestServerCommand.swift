#if canImport(Glibc)
    import Glibc
#endif
import ArgumentParser
import MilterProtocol
import MilterSupport
import NIOCore
import NIOPosix

/// `milter-test-server`: an MTA simulator that runs one milter session (or many, in load mode)
/// and prints how it ended.
struct MilterTestServerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "milter-test-server",
        abstract: "Talk to a milter as an MTA would and print the result.",
        discussion: """
            Output of one session:
              status: STATUS[ [CODE]<EXTENDED-CODE>(MESSAGE)]
              elapsed-time: SECONDS seconds
              [Quarantine reason: <REASON>]
            then, with --output-message, an empty line and the Envelope/Header/Body blocks
            ('  ' unchanged, '- ' removed, '+ ' added).
            STATUS: pass, accept, reject, temporary-failure, discard, quarantine, abort (the milter
            sent shutdown), error (the milter sent connection-failure, or the session failed).
            When the session failed (connect error, timeout, closed connection, malformed or
            unexpected reply) the output is 'status: error', then 'error: <one-line reason>', then
            the elapsed time, and the exit status is 1.

            Exit status: 0 when every session completed (whatever the milter decided) and, with
            --expected-status, ended with one of the expected statuses; 1 otherwise; 64 on bad usage.
            (-h is --help; use --header for headers.)

            Load mode (--n-sessions N [--concurrency C]) prints sessions, failures, elapsed-time,
            throughput, p50/p90/p99/max latency, statuses, and the driver's own cpu-time.

            FILES
              FILE of --mail-file (- for standard input; at most 64 MiB)
                  the message sent: its headers and body, and its From: and
                  To: for the envelope unless --from and --recipient are given

            ENVIRONMENT
              TERM
                  with --color=auto: no colour when it is unset or "dumb"
            """,
        version: "milter-test-server \(ProductVersion.number)")

    @OptionGroup var options: TestServerOptions

    mutating func validate() throws {
        try options.validate()
    }

    func run() throws {
        let connector = try options.makeConnector()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let printer = ResultPrinter(color: options.color.isEnabled, outputMessage: options.outputMessage)
        let expected = options.expectedStatuses
        let quiet = options.quiet

        if let total = options.nSessions {
            let cpuBefore = ProcessCPUTime.seconds()
            let start = NIODeadline.now()
            var summary = try LoadRunner.run(
                connectors: try options.makeConnectors(), on: group.next(), total: total,
                concurrency: options.concurrency ?? 1,
                expected: expected
            ).wait()
            summary.wallSeconds = SessionConnector.seconds(NIODeadline.now() - start)
            summary.cpuSeconds = ProcessCPUTime.seconds() - cpuBefore
            if !quiet { StandardStream.output.write(Array(summary.render().utf8)) }
            if summary.failures > 0 { throw ExitCode(1) }
            return
        }
        if let threads = options.threads, threads > 0 {
            let summary = try LoadRunner.run(
                connectors: [connector], on: group.next(), total: threads, concurrency: threads, expected: expected
            ) { report in
                if !quiet { StandardStream.output.write(printer.render(report)) }
            }.wait()
            if summary.failures > 0 { throw ExitCode(1) }
            return
        }
        let report = try connector.run(on: group.next(), number: 0).wait()
        if !quiet { StandardStream.output.write(printer.render(report)) }
        if LoadRunner.isFailure(report.outcome, expected: expected) { throw ExitCode(1) }
    }
}
