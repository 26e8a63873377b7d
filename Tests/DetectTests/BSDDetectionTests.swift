import Configuration
import Testing

@testable import Detect

/// rc.d platforms: FreeBSD ports, pkgsrc on NetBSD and DragonFly.
@Suite struct BSDDetectionTests {
    /// A milter started by its rc.d script in `directory`.
    static func rc(
        _ name: String, _ enabled: Bool, _ spec: String?, _ source: String?, _ conditions: [String],
        directory: String = "/usr/local/etc/rc.d", options: String = "start", tarpit: Double? = nil
    ) -> DetectedMilter {
        milter(
            name, enabled: enabled, spec: spec, source: source, description: nil, command: "\(directory)/\(name)",
            options: options, conditions: conditions, tarpit: tarpit)
    }

    /// Every FreeBSD candidate, from rc.conf, rc.conf.local and rc.conf.d.
    static func allFreeBSD(enabled: Bool) -> [DetectedMilter] {
        [
            rc(
                "milter-greylist", enabled, "unix:/var/milter-greylist/milter-greylist.sock",
                "/usr/local/etc/rc.d/milter-greylist:30", Conditions.greylist),
            rc("milter-enma", enabled, "inet:10025@[127.0.0.1]", "/usr/local/etc/enma.conf:4", Conditions.remote),
            rc(
                "milter-sid", enabled, "local:/var/run/milter-sid/milter-sid.sock", "/usr/local/etc/rc.d/milter-sid:20",
                Conditions.remote),
            // FreeBSD ignores clamav-milter.conf's `Example`.
            rc(
                "clamav-milter", enabled, "unix:/var/run/clamav/clmilter.sock", "/usr/local/etc/clamav-milter.conf:22",
                Conditions.none),
            rc("milter-dkim", enabled, "inet:8891@localhost", "/etc/rc.conf:13", Conditions.none),
            rc(
                "milter-opendkim", enabled, "inet:8893@[127.0.0.1]", "/usr/local/etc/mail/opendkim.conf:3",
                Conditions.none),
            rc("spamass-milter", enabled, "inet:11120@[127.0.0.1]", "/etc/rc.conf.local:2", Conditions.remote),
            rc(
                "amavis-milter", enabled, "unix:/var/amavis/amavis-milter.sock", "/usr/local/etc/rc.d/amavis-milter:20",
                Conditions.none),
            // rspamd's files under /usr/local/etc/rspamd (the original never finds them on FreeBSD).
            rc("rspamd", enabled, "inet:11332@localhost", "/usr/local/etc/rspamd/rspamd.conf:24", Conditions.remote),
        ]
    }

    /// Every pkgsrc candidate, from /usr/pkg/etc/rc.d.
    static func allPkgsrc(enabled: Bool) -> [DetectedMilter] {
        let directory = "/usr/pkg/etc/rc.d"
        return [
            rc(
                "milter-greylist", enabled, "unix:/var/milter-greylist/milter-greylist.sock",
                "/usr/pkg/etc/rc.d/milter-greylist:17", Conditions.greylist, directory: directory, tarpit: 125),
            // `${defangdir}` expanded from the script's own assignment.
            rc(
                "mimedefang", enabled, "unix:/var/spool/MIMEDefang/mimedefang.sock", "/usr/pkg/etc/rc.d/mimedefang:15",
                Conditions.none, directory: directory),
            rc(
                "enma", enabled, "inet:10026@127.0.0.1", "/usr/pkg/etc/enma.conf:4", Conditions.remote,
                directory: directory),
            rc(
                "dk-milter", enabled, "local:/var/run/dk-milter/dk-milter.sock", "/usr/pkg/etc/rc.d/dk-milter:14",
                Conditions.none, directory: directory),
            rc(
                "dkim-filter", enabled, "local:/var/run/dkim-filter/dkimfilter.sock",
                "/usr/pkg/etc/rc.d/dkim-filter:14", Conditions.none, directory: directory),
            rc(
                "spamass-milter", enabled, "inet:11120@[127.0.0.1]", "/usr/pkg/etc/rc.d/spamass-milter:15",
                Conditions.remote, directory: directory),
            rc(
                "amavismilter", enabled, "local:/var/amavis/amavis-milter.sock", "/usr/pkg/etc/rc.d/amavismilter:14",
                Conditions.none, directory: directory),
            // No -p anywhere: registered (rc.d does not need a socket) without one.
            rc("milter-regex", enabled, nil, nil, Conditions.remote, directory: directory),
        ]
    }

    static let cases: [DetectionCase] = [
        // The FreeBSD install guide on the ports' rc.d scripts: rc.conf lines, greylist.conf from
        // its .sample with the guide's edits.
        DetectionCase(
            "freebsd/install-guide",
            DetectionReport(
                platform: .freebsd,
                milters: [
                    rc(
                        "milter-greylist", true, "unix:/var/milter-greylist/milter-greylist.sock",
                        "/usr/local/etc/rc.d/milter-greylist:29", Conditions.greylist),
                    rc(
                        "clamav-milter", true, "unix:/var/run/clamav/clmilter.sock",
                        "/usr/local/etc/rc.d/clamav-milter:84",
                        Conditions.none),
                    rc(
                        "spamass-milter", true, "unix:/var/run/spamass-milter/spamass-milter.sock", "/etc/rc.conf:6",
                        Conditions.remote),
                ], diagnostics: [])),
        // pkgsrc's rc.d scripts copied to /etc/rc.d and enabled in rc.conf; mimedefang's flags
        // default continues over two lines.
        DetectionCase(
            "netbsd/packages",
            DetectionReport(
                platform: .pkgsrc,
                milters: [
                    rc(
                        "milter-greylist", true, "unix:/var/milter-greylist/milter-greylist.sock",
                        "/etc/rc.d/milter-greylist:12", Conditions.greylist, directory: "/etc/rc.d"),
                    rc(
                        "mimedefang", true, "unix:/var/spool/MIMEDefang/mimedefang.sock", "/etc/rc.d/mimedefang:33",
                        Conditions.none, directory: "/etc/rc.d"),
                    rc(
                        "spamass-milter", true, "unix:/var/run/spamass.sock", "/etc/rc.d/spamass-milter:26",
                        Conditions.remote, directory: "/etc/rc.d"),
                ], diagnostics: [])),
        DetectionCase(
            "freebsd-13/all-enabled",
            DetectionReport(platform: .freebsd, milters: allFreeBSD(enabled: true), diagnostics: [])),
        DetectionCase(
            "freebsd-13/all-disabled",
            DetectionReport(platform: .freebsd, milters: allFreeBSD(enabled: false), diagnostics: [])),
        // One milter per OpenDKIM profile; the profile's own socket wins over the base one.
        DetectionCase(
            "freebsd-13/opendkim-profiles",
            DetectionReport(
                platform: .freebsd,
                milters: [
                    milter(
                        "milter-opendkim-signer", enabled: true, spec: "inet:8891@localhost",
                        source: "/usr/local/etc/mail/opendkim-signer.conf:1", description: nil,
                        command: "/usr/local/etc/rc.d/milter-opendkim", options: "start signer",
                        conditions: Conditions.none),
                    milter(
                        "milter-opendkim-verifier", enabled: false, spec: "local:/var/run/milteropendkim/verifier.sock",
                        source: "/etc/rc.conf:7", description: nil, command: "/usr/local/etc/rc.d/milter-opendkim",
                        options: "start verifier", conditions: Conditions.none),
                ], diagnostics: [])),
        // Issue #154: the sample's `Socket inet:port@localhost` disables that milter only.
        DetectionCase(
            "freebsd-13/issue-154",
            DetectionReport(
                platform: .freebsd,
                milters: [
                    rc(
                        "milter-greylist", true, "unix:/var/milter-greylist/milter-greylist.sock",
                        "/usr/local/etc/rc.d/milter-greylist:30", Conditions.greylist),
                    rc("milter-opendkim", false, nil, nil, Conditions.none),
                    rc(
                        "spamass-milter", true, "unix:/var/run/spamass-milter.sock",
                        "/usr/local/etc/rc.d/spamass-milter:20", Conditions.remote),
                ],
                diagnostics: [
                    warning(
                        "/usr/local/etc/mail/opendkim.conf", 15,
                        "invalid connection spec for milter-opendkim: port number has invalid character: "
                            + "<inet:port@localhost>; registered as disabled")
                ])),
        DetectionCase(
            "netbsd-9/all-enabled",
            DetectionReport(
                platform: .pkgsrc, milters: allPkgsrc(enabled: true),
                diagnostics: [
                    warning(
                        "/usr/pkg/etc/rc.d/milter-regex", 0, "milter-regex is enabled but no connection spec was found")
                ])),
        DetectionCase(
            "netbsd-9/all-disabled",
            DetectionReport(platform: .pkgsrc, milters: allPkgsrc(enabled: false), diagnostics: [])
        ),
        // Scripts copied to /etc/rc.d; spamass-milter names its own rcvar in the script.
        DetectionCase(
            "dragonfly-6/etc-rc-d",
            DetectionReport(
                platform: .pkgsrc,
                milters: [
                    rc(
                        "milter-greylist", true, "unix:/var/milter-greylist/milter-greylist.sock",
                        "/etc/rc.d/milter-greylist:17", Conditions.greylist, directory: "/etc/rc.d"),
                    rc(
                        "spamass-milter", true, "inet:11120@[127.0.0.1]", "/etc/rc.d/spamass-milter:15",
                        Conditions.remote, directory: "/etc/rc.d"),
                ], diagnostics: [])),
        DetectionCase("unknown/empty", DetectionReport(platform: .unknown, milters: [], diagnostics: [])),
        // --platform overrides what the root says.
        DetectionCase(
            "debian-12/packages", as: .unknown, DetectionReport(platform: .unknown, milters: [], diagnostics: [])),
        DetectionCase(
            "freebsd/install-guide", as: .pkgsrc, DetectionReport(platform: .pkgsrc, milters: [], diagnostics: [])),
    ]

    @Test(arguments: cases)
    func detects(_ testCase: DetectionCase) {
        let report = Fixtures.detector(testCase.root).detect(platform: testCase.platform)
        expectReport(report, testCase.expected)
    }
}
