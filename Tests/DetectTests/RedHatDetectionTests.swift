import Configuration
import Testing

@testable import Detect

/// RedHat family: SysV + chkconfig (CentOS 5/6), upstart, systemd (CentOS 7, Alma 9).
@Suite struct RedHatDetectionTests {
    static let greylistDescription = "Milter Greylist Daemon"
    static let clamavDescription =
        "clamav-milter is a daemon which hooks into sendmail and routes email messages to clamav."
    static let spamassDescription =
        "spamass-milter is a daemon which hooks into sendmail and routes email messages to spamassassin"
    static let clamavUnitDescription = "Milter module for the Clam Antivirus scanner"
    static let amavisdUnitDescription = "Amavisd-new is an interface between MTA and content checkers."

    /// A milter started by its SysV init script.
    static func sysv(
        _ name: String, _ enabled: Bool, _ spec: String?, _ source: String?, _ description: String?,
        _ conditions: [String]
    ) -> DetectedMilter {
        milter(
            name, enabled: enabled, spec: spec, source: source, description: description,
            command: "/etc/init.d/\(name)", options: "start", conditions: conditions)
    }

    /// A milter started by systemd.
    static func systemd(
        _ name: String, _ enabled: Bool, _ spec: String?, _ source: String?, _ description: String?,
        _ conditions: [String], tarpit: Double? = nil
    ) -> DetectedMilter {
        milter(
            name, enabled: enabled, spec: spec, source: source, description: description,
            command: "/usr/bin/systemctl", options: "start \(name)", conditions: conditions, tarpit: tarpit)
    }

    /// RPMforge's clamav-milter (chkconfig 2345) with the install guides' MilterSocketMode.
    static let clamav = sysv(
        "clamav-milter", true, "unix:/var/clamav/clmilter.socket", "/etc/clamav-milter.conf:20", clamavDescription,
        Conditions.none)

    /// The CentOS 6 guide's three milters: EPEL's milter-greylist (its init script passes
    /// `-p` with the socket the spec wrote into both files), RPMforge's clamav-milter and
    /// spamass-milter; milter-greylist `chkconfig on` or `--del`.
    static func installGuide6(greylistEnabled: Bool) -> [DetectedMilter] {
        [
            sysv(
                "milter-greylist", greylistEnabled, "unix:/var/run/milter-greylist/milter-greylist.sock",
                "/etc/init.d/milter-greylist:19", greylistDescription, Conditions.greylist),
            clamav,
            sysv(
                "spamass-milter", true, "inet:11120@[127.0.0.1]", "/etc/sysconfig/spamass-milter:2",
                spamassDescription, Conditions.remote),
        ]
    }

    /// RPMforge's packages as installed: `chkconfig --add` gives milter-greylist and
    /// spamass-milter (`chkconfig: -`) K links only, clamav-milter and amavisd (`2345`) S links.
    /// amavisd without MILTER_SOCKET is no milter: disabled, without a warning.
    static func rpmforge(registered: Bool) -> [DetectedMilter] {
        [
            sysv(
                "milter-greylist", false, "unix:/var/milter-greylist/milter-greylist.sock",
                "/etc/init.d/milter-greylist:18", greylistDescription, Conditions.greylist),
            sysv(
                "clamav-milter", registered, "unix:/var/clamav/clmilter.socket", "/etc/clamav-milter.conf:20",
                clamavDescription, Conditions.none),
            sysv(
                "spamass-milter", false, "unix:/var/run/spamass.sock", "/etc/init.d/spamass-milter:22",
                spamassDescription, Conditions.remote),
            sysv("amavisd", false, nil, nil, "AMaViS virus scanner.", Conditions.none),
        ]
    }

    static let cases: [DetectionCase] = [
        DetectionCase(
            "redhat-6/install-guide",
            DetectionReport(platform: .redhat, milters: installGuide6(greylistEnabled: true), diagnostics: [])),
        DetectionCase(
            "redhat-6/install-guide-greylist-deleted",
            DetectionReport(platform: .redhat, milters: installGuide6(greylistEnabled: false), diagnostics: [])),
        // CentOS 5 guide: `-p` added to OPTIONS in a new /etc/sysconfig/milter-greylist.
        DetectionCase(
            "redhat-5/install-guide",
            DetectionReport(
                platform: .redhat,
                milters: [
                    sysv(
                        "milter-greylist", true, "inet:11122@[127.0.0.1]", "/etc/sysconfig/milter-greylist:1",
                        greylistDescription, Conditions.greylist),
                    clamav,
                    sysv(
                        "spamass-milter", true, "inet:11120@[127.0.0.1]", "/etc/sysconfig/spamass-milter:2",
                        spamassDescription, Conditions.remote),
                ], diagnostics: [])),
        DetectionCase(
            "redhat-5/packages",
            DetectionReport(platform: .redhat, milters: rpmforge(registered: true), diagnostics: [])),
        // `chkconfig --del` for each.
        DetectionCase(
            "redhat-5/deleted",
            DetectionReport(platform: .redhat, milters: rpmforge(registered: false), diagnostics: [])),
        // Fedora/EPEL's clamav-milter-upstart: the job's `start on` line uncommented as it says.
        DetectionCase(
            "redhat-6/upstart",
            DetectionReport(
                platform: .redhat,
                milters: [
                    milter(
                        "clamav-milter", enabled: true, spec: "unix:/var/run/clamav-milter/clamav-milter.socket",
                        source: "/etc/mail/clamav-milter.conf:20", description: nil, command: "/sbin/start",
                        options: "clamav-milter", conditions: Conditions.none)
                ], diagnostics: [])),
        DetectionCase(
            "redhat-7/install-guide",
            DetectionReport(
                platform: .redhat,
                milters: [
                    systemd(
                        "milter-greylist", true, "unix:/run/milter-greylist/milter-greylist.sock",
                        "/etc/mail/greylist.conf:9", "Milter Greylist Daemon", Conditions.greylist),
                    systemd(
                        "clamav-milter", true, "unix:/run/clamav-milter/clamav-milter.socket",
                        "/etc/mail/clamav-milter.conf:20", clamavUnitDescription,
                        Conditions.none),
                    systemd(
                        "spamass-milter", true, "unix:/run/spamass-milter/postfix/sock",
                        "/etc/sysconfig/spamass-milter:3", "Mail filter for SpamAssassin", Conditions.remote),
                ], diagnostics: [])),
        // /sbin/init is systemd: a unit decides alone, so units not enabled (or masked) are
        // registered disabled; spamass-milter's init script is ignored.
        DetectionCase(
            "redhat-7/disabled",
            DetectionReport(
                platform: .redhat,
                milters: [
                    systemd(
                        "milter-greylist", false, "unix:/run/milter-greylist/milter-greylist.sock",
                        "/etc/mail/greylist.conf:9", greylistDescription, Conditions.greylist),
                    // Masked.
                    systemd(
                        "clamav-milter", false, "unix:/run/clamav-milter/clamav-milter.socket",
                        "/etc/mail/clamav-milter.conf:20", clamavUnitDescription, Conditions.none),
                    systemd(
                        "spamass-milter", false, "unix:/run/spamass-milter/postfix/sock",
                        "/etc/sysconfig/spamass-milter:3", "Mail filter for SpamAssassin", Conditions.remote),
                    // Wanted, but names no milter socket: no milter, and no warning.
                    systemd("amavisd", false, nil, nil, amavisdUnitDescription, Conditions.none),
                ], diagnostics: [])),
        // A careless administrator: greylist.conf's socket lost its closing quote (other broken
        // statements there are not needed and not reported), clamav-milter.conf's MilterSocket
        // lost its value, the sysconfig SOCKET's quote closes only on a later line.
        DetectionCase(
            "redhat-7/careless-admin",
            DetectionReport(
                platform: .redhat,
                milters: [
                    systemd("milter-greylist", false, nil, nil, greylistDescription, Conditions.greylist),
                    systemd("clamav-milter", false, nil, nil, clamavUnitDescription, Conditions.none),
                    systemd("spamass-milter", false, nil, nil, "Mail filter for SpamAssassin", Conditions.remote),
                ],
                diagnostics: [
                    warning("/etc/mail/clamav-milter.conf", 20, "MilterSocket has no value; it is ignored"),
                    warning(
                        "/etc/mail/greylist.conf", 9,
                        "the socket's quote is not closed; this socket statement is ignored"),
                    warning(
                        "/etc/sysconfig/spamass-milter", 3,
                        "the socket found here spans several lines or holds control characters (a quote closed too "
                            + "late?); it is ignored"),
                ])),
        DetectionCase(
            "redhat-7/overrides",
            DetectionReport(
                platform: .redhat,
                milters: [
                    systemd(
                        "milter-greylist", true, "inet:11122@[127.0.0.1]",
                        "/etc/systemd/system/milter-greylist.service.d/socket.conf:4", "Milter Greylist Daemon",
                        Conditions.greylist),
                    systemd(
                        "clamav-milter", false, "unix:/run/clamav-milter/clamav-milter.socket",
                        "/etc/mail/clamav-milter.conf:20", clamavUnitDescription,
                        Conditions.none),
                    systemd(
                        "spamass-milter", true, "inet:11120@[127.0.0.1]", "/etc/sysconfig/spamass-milter-postfix:2",
                        "Mail filter for SpamAssassin (Postfix)", Conditions.remote),
                    systemd(
                        "rspamd", true, "unix:/run/rspamd/milter.sock", "/etc/rspamd/override.d/worker-proxy.inc:2",
                        "Rspamd proxy in milter mode", Conditions.remote),
                ], diagnostics: [])),
        DetectionCase(
            "redhat-9/all-enabled",
            DetectionReport(
                platform: .redhat,
                milters: [
                    systemd(
                        "milter-greylist", true, "unix:/run/milter-greylist/milter-greylist.sock",
                        "/etc/mail/greylist.conf:9", greylistDescription, Conditions.greylist, tarpit: 125),
                    // Fedora's clamav-milter.conf as packaged: `Example` and no MilterSocket.
                    systemd("clamav-milter", false, nil, nil, clamavUnitDescription, Conditions.none),
                    systemd(
                        "enma", true, "inet:10025@[127.0.0.1]", "/etc/enma/enma.conf:4",
                        "ENMA sender authentication milter", Conditions.remote),
                    systemd(
                        "spamass-milter", true, "unix:/run/spamass-milter/postfix/sock",
                        "/etc/sysconfig/spamass-milter:3", "Mail filter for SpamAssassin", Conditions.remote),
                    systemd("amavisd", false, nil, nil, amavisdUnitDescription, Conditions.none),
                    // An opendkim.conf with `Mode v` and `Umask 002` (which Augeas's stock lens rejects).
                    systemd(
                        "opendkim", true, "inet:8891@localhost", "/etc/opendkim.conf:35",
                        "DomainKeys Identified Mail (DKIM) Milter", Conditions.none),
                    systemd(
                        "rspamd", true, "inet:11332@127.0.0.1", "/etc/rspamd/local.d/worker-proxy.inc:1",
                        "rapid spam filtering system", Conditions.remote),
                ],
                diagnostics: [
                    warning(
                        "/etc/mail/clamav-milter.conf", 6,
                        "clamav-milter.conf is an unedited sample (its `Example` line is still there); "
                            + "clamav-milter counts as disabled")
                ])),
    ]

    @Test(arguments: cases)
    func detects(_ testCase: DetectionCase) {
        let report = Fixtures.detector(testCase.root).detect(platform: testCase.platform)
        expectReport(report, testCase.expected)
    }
}
