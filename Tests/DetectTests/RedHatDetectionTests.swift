import Configuration
import Testing

@testable import Detect

/// RedHat family: SysV + chkconfig (CentOS 5/6), upstart, systemd (CentOS 7, Alma 9).
@Suite struct RedHatDetectionTests {
    static let greylistDescription =
        "milter-greylist is a stand-alone milter written in C that implements the greylist filtering method."
    static let clamavDescription =
        "clamav-milter is a daemon which hooks into sendmail and routes email messages to clamav"
    static let spamassDescription =
        "spamass-milter is a daemon which hooks into sendmail and passes email to spamassassin"
    static let enmaDescription = "ENMA is a milter that authenticates senders with SPF, Sender ID, DKIM and DKIM ADSP."

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

    /// The CentOS 6 install guide's three milters, milter-greylist enabled or not.
    static func installGuide6(greylistEnabled: Bool) -> [DetectedMilter] {
        [
            sysv(
                "milter-greylist", greylistEnabled, "unix:/var/run/milter-greylist/milter-greylist.sock",
                "/etc/mail/greylist.conf:9", greylistDescription, Conditions.greylist),
            sysv(
                "clamav-milter", true, "unix:/var/clamav/clmilter.socket", "/etc/clamav-milter.conf:22",
                clamavDescription, Conditions.none),
            sysv(
                "spamass-milter", true, "inet:11120@[127.0.0.1]", "/etc/sysconfig/spamass-milter:3",
                spamassDescription, Conditions.remote),
        ]
    }

    /// Every RedHat candidate with its SysV script, enabled by chkconfig or not.
    static func allSysV(enabled: Bool) -> [DetectedMilter] {
        [
            sysv(
                "milter-greylist", enabled, "unix:/var/run/milter-greylist/milter-greylist.sock",
                "/etc/mail/greylist.conf:9", greylistDescription, Conditions.greylist),
            sysv(
                "clamav-milter", enabled, "unix:/var/clamav/clmilter.socket", "/etc/clamav-milter.conf:22",
                clamavDescription, Conditions.none),
            sysv("enma", enabled, "inet:10025@127.0.0.1", "/etc/enma.conf:4", enmaDescription, Conditions.remote),
            sysv(
                "spamass-milter", enabled, "inet:11120@[127.0.0.1]", "/etc/sysconfig/spamass-milter:3",
                spamassDescription, Conditions.remote),
            sysv(
                "amavisd", enabled, "local:/var/run/amavisd/amavisd-milter.sock", "/etc/sysconfig/amavisd:4",
                "amavisd is an interface between MTA and content checkers", Conditions.none),
            // The chkconfig header follows a blank line, so it is not read (as the original).
            sysv("opendkim", enabled, "inet:8891@localhost", "/etc/opendkim.conf:35", nil, Conditions.none),
            sysv(
                "rspamd", enabled, "inet:11332@localhost", "/etc/rspamd/rspamd.conf:24",
                "rspamd is a fast and modular spam filtering system", Conditions.remote),
        ]
    }

    static let cases: [DetectionCase] = [
        DetectionCase(
            "redhat-6/install-guide",
            DetectionReport(platform: .redhat, milters: installGuide6(greylistEnabled: true), diagnostics: [])),
        // `chkconfig --del milter-greylist`: still registered, not enabled.
        DetectionCase(
            "redhat-6/install-guide-greylist-deleted",
            DetectionReport(platform: .redhat, milters: installGuide6(greylistEnabled: false), diagnostics: [])),
        DetectionCase(
            "redhat-6/all-enabled", DetectionReport(platform: .redhat, milters: allSysV(enabled: true), diagnostics: [])
        ),
        DetectionCase(
            "redhat-6/all-disabled",
            DetectionReport(platform: .redhat, milters: allSysV(enabled: false), diagnostics: [])
        ),
        DetectionCase(
            "redhat-6/broken",
            DetectionReport(
                platform: .redhat,
                milters: [
                    sysv("milter-greylist", false, nil, nil, greylistDescription, Conditions.greylist),
                    sysv("clamav-milter", false, nil, nil, clamavDescription, Conditions.none),
                    sysv("enma", true, "inet:10025@127.0.0.1", "/etc/enma.conf:4", enmaDescription, Conditions.remote),
                    // /etc/sysconfig/spamass-milter is ignored: the script's default socket.
                    sysv(
                        "spamass-milter", true, "unix:/var/run/spamass.sock", "/etc/init.d/spamass-milter:17",
                        spamassDescription, Conditions.remote),
                    sysv("opendkim", false, nil, nil, nil, Conditions.none),
                ],
                diagnostics: [
                    warning(
                        "/etc/clamav-milter.conf", 27, column: 1,
                        "cannot parse near line 27, column 1: \"<<<<<<< ours\"; settings in this file are ignored "
                            + "(Iterated lens matched less than it should)"),
                    warning(
                        "/etc/init.d/clamav-milter", 0, "clamav-milter is enabled but no connection spec was found"),
                    warning(
                        "/etc/init.d/milter-greylist", 0, "milter-greylist is enabled but no connection spec was found"),
                    warning(
                        "/etc/mail/greylist.conf", 9, column: 8,
                        "cannot parse near line 9, column 8: \"socket \"/var/run/milter-greylist/milter-greylist.sock "
                            + "660\"; settings in this file are ignored (Iterated lens matched less than it should)"),
                    warning(
                        "/etc/opendkim.conf", 35,
                        "invalid connection spec for opendkim: port number has invalid character: "
                            + "<inet:port@localhost>; registered as disabled"),
                    warning(
                        "/etc/sysconfig/spamass-milter", 3,
                        "unbalanced quote on line 3 (cannot parse near line 6, column 17: \"#EXTRA_FLAGS=\"-m -r 15\"\"); "
                            + "settings in this file are ignored (Iterated lens matched less than it should)"),
                ])),
        // CentOS 5 guide: `-p` added to OPTIONS in /etc/sysconfig; /etc/init.d is an absolute link.
        DetectionCase(
            "redhat-5/install-guide",
            DetectionReport(
                platform: .redhat,
                milters: [
                    sysv(
                        "milter-greylist", true, "inet:11122@[127.0.0.1]", "/etc/sysconfig/milter-greylist:2",
                        greylistDescription, Conditions.greylist),
                    sysv(
                        "clamav-milter", true, "unix:/var/clamav/clmilter.socket", "/etc/clamav-milter.conf:22",
                        clamavDescription, Conditions.none),
                    sysv(
                        "spamass-milter", true, "inet:11120@[127.0.0.1]", "/etc/sysconfig/spamass-milter:3",
                        spamassDescription, Conditions.remote),
                ], diagnostics: [])),
        // clamav-milter 0.94: SOCKET_ADDRESS in sysconfig; the sample conf's `Example` does not matter.
        DetectionCase(
            "redhat-5/clamav-0.94",
            DetectionReport(
                platform: .redhat,
                milters: [
                    sysv(
                        "clamav-milter", true, "local:/var/clamav/clmilter.socket", "/etc/sysconfig/clamav-milter:13",
                        clamavDescription, Conditions.none)
                ], diagnostics: [])),
        DetectionCase(
            "redhat-5/upstart",
            DetectionReport(
                platform: .redhat,
                milters: [
                    milter(
                        "milter-greylist", enabled: true, spec: "unix:/var/run/milter-greylist/upstart.sock",
                        source: "/etc/mail/greylist-upstart.conf:9",
                        description: "milter-greylist - greylisting milter",
                        command: "/sbin/start", options: "milter-greylist", conditions: Conditions.greylist),
                    // The job has no `start on`: the registered SysV script decides.
                    sysv(
                        "clamav-milter", true, "inet:7357", "/etc/clamav-milter.conf:22", clamavDescription,
                        Conditions.none),
                    // `-p` on the job's exec line (beyond the original); a `###` first line: no description.
                    milter(
                        "spamass-milter", enabled: true, spec: "inet:11120@[127.0.0.1]",
                        source: "/etc/event.d/spamass-milter:4", description: nil, command: "/sbin/start",
                        options: "spamass-milter", conditions: Conditions.remote),
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
                        "/etc/mail/clamav-milter.conf:22", "Milter module for the Clam Antivirus scanner",
                        Conditions.none),
                    systemd(
                        "spamass-milter", true, "unix:/run/spamass-milter/postfix/sock",
                        "/etc/sysconfig/spamass-milter:3", "Mail filter for SpamAssassin", Conditions.remote),
                ], diagnostics: [])),
        DetectionCase(
            "redhat-7/disabled",
            DetectionReport(
                platform: .redhat,
                milters: [
                    // Masked: registered from its unit, disabled.
                    systemd(
                        "clamav-milter", false, "unix:/run/clamav-milter/clamav-milter.socket",
                        "/etc/mail/clamav-milter.conf:22", "Milter module for the Clam Antivirus scanner",
                        Conditions.none),
                    // Unit disabled; the SysV script registered with chkconfig --add (no links) decides.
                    sysv(
                        "spamass-milter", false, "unix:/run/spamass-milter/postfix/sock",
                        "/etc/sysconfig/spamass-milter:3", spamassDescription, Conditions.remote),
                ],
                diagnostics: [
                    warning(
                        "/usr/lib/systemd/system/amavisd.service", 0,
                        "amavisd is enabled but no connection spec was found")
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
                        "/etc/mail/clamav-milter.conf:22", "Milter module for the Clam Antivirus scanner",
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
                        "milter-greylist", true, "unix:/var/run/milter-greylist/milter-greylist.sock",
                        "/etc/mail/greylist.conf:9", "Milter Greylist Daemon", Conditions.greylist, tarpit: 125),
                    systemd(
                        "enma", true, "inet:10025@[127.0.0.1]", "/etc/enma/enma.conf:4",
                        "ENMA sender authentication milter", Conditions.remote),
                    systemd(
                        "spamass-milter", true, "unix:/run/spamass-milter/postfix/sock",
                        "/etc/sysconfig/spamass-milter:3", "Mail filter for SpamAssassin", Conditions.remote),
                    // Fedora's stock opendkim.conf (`Mode v`, `Umask 002`) reads fine with our lens.
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
                            + "clamav-milter counts as disabled"),
                    warning(
                        "/usr/lib/systemd/system/amavisd.service", 0,
                        "amavisd is enabled but no connection spec was found"),
                ])),
    ]

    @Test(arguments: cases)
    func detects(_ testCase: DetectionCase) {
        let report = Fixtures.detector(testCase.root).detect(platform: testCase.platform)
        expectReport(report, testCase.expected)
    }
}
