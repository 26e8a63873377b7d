import LogAnalyzer
import Testing

/// A header a milter added and what it reports.
struct HeaderCase: Sendable, CustomTestStringConvertible {
    var name: String
    var value: String
    var sources: [ReportSource]

    var testDescription: String { "\(name): \(value.prefix(50))" }

    init(_ name: String, _ value: String, _ sources: [ReportSource]) {
        self.name = name
        self.value = value
        self.sources = sources
    }
}

@Suite struct HeaderReportTests {
    static let cases: [HeaderCase] = [
        HeaderCase("X-Spam-Flag", "YES", [.spam]),
        HeaderCase("x-spam-flag", " yes ", [.spam]),
        HeaderCase("X-Spam-Flag", "NO", []),
        HeaderCase("X-Spam", "Yes", [.spam]),
        HeaderCase(
            "X-Spam-Status",
            "Yes, score=12.1 required=5.0 tests=BAYES_99,URIBL_BLACK,URIBL_JP_SURBL autolearn=spam version=3.4.6",
            [.uribl]),
        // Folded as the daemon's log file writes it, and as rsyslog escapes it.
        HeaderCase("X-Spam-Status", "Yes, score=9.9 required=5.0 tests=BAYES_99,\n\tURIBL_SBL autolearn=no", [.uribl]),
        HeaderCase(
            "X-Spam-Status", "Yes, score=9.9 required=5.0 tests=BAYES_99,#012#011URIBL_SBL autolearn=no", [.uribl]),
        HeaderCase("X-Spam-Status", "No, score=-1.0 required=5.0 tests=ALL_TRUSTED autolearn=ham URIBL_X=1", []),
        HeaderCase("X-Spam-Status", "No, score=0.0", []),
        // From the original's fixture log (milter-enma, milter-sid) and opendkim/opendmarc.
        HeaderCase(
            "Authentication-Results",
            "enma.cozmixng.org; spf=pass user@example.org; \t sender-id=pass user@example.org; dkim=none; dkim-adsp=none \t user@example.org",
            [.spfPass, .senderIDPass]),
        HeaderCase(
            "Authentication-Results",
            "mail.cozmixng.org; sender-id=softfail user@example.org; spf=softfail user@example.org",
            []),
        HeaderCase(
            "Authentication-Results", "mx.example.com; dkim=fail (bad signature) header.d=example.org; spf=hardfail",
            [.dkimFail, .spfFail]),
        HeaderCase(
            "Authentication-Results", "mx.example.com; dkim=neutral (verification failed) header.d=example.org",
            [.dkimFail]),
        HeaderCase("Authentication-Results", "mx.example.com; dkim=neutral (no signature)", []),
        HeaderCase(
            "Authentication-Results", "mx.example.com; dkim-adsp=pass; dmarc=pass header.from=example.org",
            [.dkimADSPPass, .dmarcPass]),
        HeaderCase("Authentication-Results", "mx.example.com; dmarc=fail (p=reject dis=none)", [.dmarcFail]),
        HeaderCase("Authentication-Results", "mx.example.com; arc=pass; =pass; x y=pass", []),
        HeaderCase(
            "X-Greylist", "Delayed for 00:05:00 by milter-greylist-4.6.4 (mail.example.org [192.0.2.1])",
            [.greylistingPass]),
        HeaderCase(
            "X-Greylist", "Message whitelisted by tarpit 10s, not delayed by milter-greylist-4.6.4", [.tarpittingPass]),
        HeaderCase("X-Greylist", "Sender is SPF-compliant, not delayed by milter-greylist-4.6.4", [.spfPass]),
        HeaderCase("X-Greylist", "Sender IP whitelisted, not delayed by milter-greylist-4.6.4", []),
        HeaderCase("X-Virus-Status", "Infected (Eicar-Signature)", [.virus]),
        HeaderCase("X-Virus-Status", "Clean", []),
        HeaderCase("X-Virus-Scanned", "clamav-milter 0.95.1 at www.cozmixng.org", []),
        HeaderCase("Subject", "YES", []),
    ]

    @Test(arguments: cases)
    func reports(_ example: HeaderCase) {
        #expect(HeaderReport.sources(name: example.name, value: example.value) == example.sources)
    }
}
