import MilterProtocol
import MilterSupport
import NIOCore
import Testing

@testable import milter_test_server

/// The exact text milter-test-server prints.
@Suite("milter-test-server output")
struct ResultPrinterTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test(arguments: [
        (0.128, "0.128"), (1.5e-05, "1.5e-05"), (300.0, "300"), (0.00151894, "0.00151894"), (12.3456789, "12.3457"),
    ])
    func elapsedTimeUsesPercentG(_ value: Double, _ expected: String) {
        #expect(CFormat.g(value) == expected)
    }

    /// A result longer than the stack buffer is formatted again at its full length.
    @Test func aLongNumberIsPrintedWhole() {
        let text = CFormat.fixed(1e80, 3)
        #expect(text.count == 85)
        #expect(text.hasPrefix("1000000000000000") && text.hasSuffix(".000"))
        #expect(CFormat.fixed(1.23456, 3) == "1.235")
    }

    @Test(arguments: [
        ("554 5.7.1 1% 2%% 3%%%", "status: reject [554]<5.7.1>(1% 2%% 3%%%)"),
        ("451 4.7.1 Greylisting", "status: temporary-failure [451]<4.7.1>(Greylisting)"),
        ("550 Rejected", "status: reject [550]<(null)>(Rejected)"),
        ("550", "status: reject [550]<(null)>((null))"),
    ])
    func statusLineWithReplyCode(_ wire: String, _ expected: String) throws {
        let reply = try SMTPReply(validating: MilterString(wire))
        let outcome = SessionOutcome(
            status: reply.isPermanent ? .reject : .temporaryFailure, reply: reply, quarantineReason: nil, message: nil,
            failure: nil)
        #expect(ResultPrinter.statusLine(outcome) == expected)
    }

    @Test func failureIsStatusErrorThenOneLineReason() {
        let report = SessionReport(
            outcome: .failed(.readingTimeout(stage: "envelope-from", seconds: 2)), elapsed: 2.0015, latency: 2.0015)
        #expect(
            text(ResultPrinter(outputMessage: true).render(report)) == """
                status: error
                error: reading timeout: no reply to envelope-from within 2 seconds
                elapsed-time: 2.0015 seconds

                """)
    }

    @Test func unchangedMessage() {
        let copy = MessageCopy(ServerFixtures.plan().message)
        let outcome = SessionOutcome(status: .pass, reply: nil, quarantineReason: nil, message: copy, failure: nil)
        let report = SessionReport(outcome: outcome, elapsed: 0.128, latency: 0.13)
        #expect(
            text(ResultPrinter(outputMessage: true).render(report)) == """
                status: pass
                elapsed-time: 0.128 seconds

                Envelope:------------------------------
                  MAIL FROM:<sender@example.com>
                  RCPT TO:<receiver@example.org>
                Header:--------------------------------
                  From: <sender@example.com>
                  To: <receiver@example.org>
                Body:----------------------------------
                La de da de da 1.
                La de da de da 2.
                La de da de da 3.
                La de da de da 4.

                """)
    }

    @Test func everyKindOfChangeWithColour() {
        let plan = ServerFixtures.plan(
            recipients: ["a@example.org", "b@example.org"],
            headers: [("Subject", "hello"), ("X-Folded", "one\n\ttwo")],
            bodies: ["old body"])
        var copy = MessageCopy(plan.message)
        copy.apply(.changeFrom(sender: "new@example.com", parameters: nil))
        copy.apply(.deleteRecipient("<a@example.org>"))
        copy.apply(.addRecipient("c@example.org", parameters: nil))
        copy.apply(.changeHeader(index: 1, name: "Subject", value: "[tag] hello"))
        copy.apply(.changeHeader(index: 1, name: "X-Folded", value: ""))
        copy.apply(.insertHeader(index: 0, name: "X-First", value: "1"))
        copy.apply(.replaceBody(ByteBuffer(string: "new ")))
        copy.apply(.replaceBody(ByteBuffer(string: "body")))
        let outcome = SessionOutcome(status: .accept, reply: nil, quarantineReason: "why", message: copy, failure: nil)
        let red = "\u{1B}[01;31m"
        let green = "\u{1B}[01;32m"
        let normal = "\u{1B}[00m"
        let expected = """
            status: accept
            elapsed-time: 1 seconds
            Quarantine reason: <why>

            Envelope:------------------------------
            \(red)- MAIL FROM:<sender@example.com>\(normal)
            \(green)+ MAIL FROM:<new@example.com>\(normal)
            \(red)- RCPT TO:<a@example.org>\(normal)
              RCPT TO:<b@example.org>
            \(green)+ RCPT TO:<c@example.org>\(normal)
            Header:--------------------------------
            \(red)- Subject: hello\(normal)
            \(red)- X-Folded: one\(normal)
            \(red)- \ttwo\(normal)
            \(green)+ X-First: 1\(normal)
            \(green)+ Subject: [tag] hello\(normal)
              From: <sender@example.com>
              To: <a@example.org>
            Body:----------------------------------
            new body

            """
        let printed = text(
            ResultPrinter(color: true, outputMessage: true).render(
                SessionReport(outcome: outcome, elapsed: 1, latency: 1)))
        #expect(printed == expected)
    }

    @Test func bodyIsConvertedFromTheContentTypeCharset() {
        let plan = ServerFixtures.plan(headers: [("Content-Type", "text/plain; charset=\"ISO-8859-1\"")], bodies: [])
        var copy = MessageCopy(plan.message)
        copy.apply(.replaceBody(ByteBuffer(bytes: [0x63, 0x61, 0x66, 0xE9])))  // "café" in Latin-1
        let printed = text(ResultPrinter(outputMessage: true).render(copy))
        #expect(printed.hasSuffix("Body:----------------------------------\ncafé\n"))
        #expect(CharsetConverter.charset(ofContentType: "text/plain; Charset=utf-8; format=flowed") == "utf-8")
        #expect(CharsetConverter.charset(ofContentType: "text/plain") == nil)
    }

    @Test func unknownCharsetPrintsAnErrorBlockAndTheRawBody() {
        let plan = ServerFixtures.plan(headers: [("Content-Type", "text/plain; charset=x-no-such")], bodies: ["raw"])
        let printed = text(ResultPrinter(outputMessage: true).render(MessageCopy(plan.message)))
        #expect(printed.contains("Error:---------------------------------\n"))
        #expect(printed.hasSuffix("---------------------------------------\nraw\n"))
    }

    @Test func loadSummaryLines() {
        let summary = LoadSummary(
            sessions: 4, failures: 1, wallSeconds: 0.5, latencies: [0.001, 0.002, 0.003, 0.010],
            statusCounts: [.accept: 3, .error: 1], failureKinds: [("reading timeout", 1, "reading timeout: x")],
            cpuSeconds: 0.002)
        #expect(
            summary.render() == """
                sessions: 4
                failures: 1
                elapsed-time: 0.5 seconds
                throughput: 8.0 sessions/s
                p50: 2.000 ms
                p90: 10.000 ms
                p99: 10.000 ms
                max: 10.000 ms
                statuses: accept=3 error=1
                cpu-time: 2.000 ms (user+sys, getrusage)
                cpu-per-session: 0.5000 ms
                error: reading timeout x1 (first: reading timeout: x)

                """)
    }
}
