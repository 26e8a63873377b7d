import Configuration
import Testing

@testable import Detect

/// Init-script headers, socket spellings, rspamd sockets, tarpits, os-release.
@Suite struct ConfigReadingTests {
    @Test func readsChkconfigHeaderWithContinuation() {
        let header = InitScriptHeader(
            parsing: """
                #!/bin/sh
                #
                # chkconfig:\t- 79 21
                # description:\tmilter-greylist is a stand-alone milter written in C that \\
                #\t\timplements the greylist filtering method.
                # config:\t/etc/mail/greylist.conf

                # description: not in the header any more
                """, skippingInterpreter: false)
        #expect(header.tags["chkconfig"] == "- 79 21")
        #expect(
            header.tags["description"]
                == "milter-greylist is a stand-alone milter written in C that implements the greylist filtering method."
        )
        #expect(header.tags["config"] == "/etc/mail/greylist.conf")
    }

    @Test func readsLSBBlock() {
        let header = InitScriptHeader(
            parsing: """
                #! /bin/sh
                ### BEGIN INIT INFO
                # Provides:          opendkim
                # Short-Description: Start the OpenDKIM service
                # Description:       Start the OpenDKIM service to provide DKIM signing and
                #                    verification.
                ### END INIT INFO
                """, skippingInterpreter: true)
        #expect(header.lsb["Provides"] == "opendkim")
        #expect(header.lsb["Description"] == "Start the OpenDKIM service to provide DKIM signing and verification.")
        #expect(header.tags.isEmpty)
    }

    static let specCases: [(String, String)] = [
        ("/var/run/x.sock", "unix:/var/run/x.sock"),
        ("unix:/var/run/x.sock", "unix:/var/run/x.sock"),
        ("local:/var/run/x.sock", "local:/var/run/x.sock"),
        ("local:local:/p", "local:/p"),
        ("unix:unix:/p", "unix:/p"),
        ("unix:local:/p", "local:/p"),
        ("local:unix:/p", "unix:/p"),
        ("inet:3000", "inet:3000"),
        ("inet:3000@localhost", "inet:3000@localhost"),
        ("inet:3000@[127.0.0.1]", "inet:3000@[127.0.0.1]"),
        ("inet6:3000@[::1]", "inet6:3000@[::1]"),
        ("inet:port@localhost", "inet:port@localhost"),
    ]

    @Test(arguments: specCases)
    func normalizesSpecs(_ raw: String, _ expected: String) {
        #expect(ConnectionSpecText.normalize(raw) == expected)
    }

    @Test(arguments: ["inet:port@localhost", "inet:127.0.0.1:8891", "tcp:8891", "relative/path", "inet:70000"])
    func rejectsSpecsTheManagerCannotUse(_ raw: String) {
        #expect(throws: (any Error).self) { try ConnectionSpecText.parse(raw) }
    }

    static let rspamdCases: [(String, String?)] = [
        ("localhost:11332", "inet:11332@localhost"),
        ("*:11332", "inet:11332@localhost"),
        ("*v4:11332", "inet:11332@localhost"),
        ("*v6:11332", "inet6:11332@[::1]"),
        ("127.0.0.1:11332", "inet:11332@127.0.0.1"),
        ("[::1]:11332", "inet6:11332@[::1]"),
        ("/run/rspamd/milter.sock mode=0660 owner=_rspamd", "unix:/run/rspamd/milter.sock"),
        ("/run/rspamd/milter.sock,mode=0660", "unix:/run/rspamd/milter.sock"),
        ("11332", nil),
    ]

    @Test(arguments: rspamdCases)
    func convertsRspamdBindSockets(_ bindSocket: String, _ expected: String?) {
        #expect(RspamdProxyReader.spec(bindSocket: bindSocket) == expected)
    }

    static let durationCases: [(String, Double?)] = [
        ("125s", 125), ("2m", 120), ("1h", 3600), ("3d", 259_200), ("1w", 604_800), ("30", 30), ("5M", 300),
        ("x", nil), ("s", nil),
    ]

    @Test(arguments: durationCases)
    func readsTarpitDurations(_ text: String, _ seconds: Double?) {
        #expect(GreylistConf.duration(text[...]) == seconds)
    }

    static let osReleaseCases: [(String, Platform?)] = [
        ("ID=debian\n", .debian),
        ("ID=ubuntu\nID_LIKE=debian\n", .debian),
        ("ID=\"almalinux\"\nID_LIKE=\"rhel centos fedora\"\n", .redhat),
        ("ID=\"rocky\"\n", .redhat),
        ("ID=fedora\n", .redhat),
        ("ID=\"somelinux\"\nID_LIKE=\"rhel fedora\"\n", .redhat),
        ("ID=freebsd\n", .freebsd),
        ("ID=netbsd\n", .pkgsrc),
        ("ID=arch\n", nil),
    ]

    @Test(arguments: osReleaseCases)
    func identifiesPlatformFromOSRelease(_ text: String, _ expected: Platform?) {
        #expect(PlatformIdentifier.platform(osRelease: text) == expected)
    }

    static let rootPlatformCases: [(String, Platform)] = [
        ("redhat-5/install-guide", .redhat), ("redhat-7/install-guide", .redhat), ("redhat-9/all-enabled", .redhat),
        ("debian-11/packages", .debian), ("debian-12/packages", .debian), ("freebsd/install-guide", .freebsd),
        ("netbsd/packages", .pkgsrc), ("netbsd-9/all-enabled", .pkgsrc), ("dragonfly-6/etc-rc-d", .pkgsrc),
        ("unknown/empty", .unknown),
    ]

    @Test(arguments: rootPlatformCases)
    func identifiesPlatformOfRoot(_ root: String, _ expected: Platform) {
        #expect(Fixtures.detector(root).identifyPlatform() == expected)
    }
}
