import Configuration
import Testing

@testable import Detect

/// Debian family, on roots built from the real packages (Tests/Fixtures/roots/README.md):
/// Debian 12 with systemd and with sysvinit, Debian 11 as installed, as the install guide and
/// issue #205 leave it, and with every milter disabled by `systemctl disable`.
@Suite struct DebianDetectionTests {
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
        _ conditions: [String]
    ) -> DetectedMilter {
        milter(
            name, enabled: enabled, spec: spec, source: source, description: description,
            command: "/usr/bin/systemctl", options: "start \(name)", conditions: conditions)
    }

    static let clamavDescription = "Clam AntiVirus milter interface"
    static let spamassDescription = "Sendmail milter plugin for SpamAssassin"
    static let amavisdDescription = "milter daemon for sendmail/postfix and amavisd-new"
    static let greylistDescription = "Greylist Mail Filter Daemon"

    /// The milters of the Debian 12 packages as installed under systemd. clamav-milter,
    /// spamass-milter and amavisd-milter ship only init scripts; mimedefang's unit is not
    /// enabled by its package (only `update-rc.d defaults` runs, which systemd ignores for a
    /// service with a native unit).
    static func debian12(mimedefang: Bool = false, spamass: Bool = true, opendkim: String? = nil) -> [DetectedMilter] {
        [
            sysv(
                "clamav-milter", true, "unix:/var/run/clamav/clamav-milter.ctl", "/etc/clamav/clamav-milter.conf:4",
                clamavDescription, Conditions.none),
            systemd(
                "opendkim", true, opendkim ?? "local:/run/opendkim/opendkim.sock",
                opendkim == nil ? "/etc/opendkim.conf:37" : "/etc/opendkim.conf:38", "OpenDKIM Milter", Conditions.none),
            sysv(
                "spamass-milter", spamass, "unix:/var/spool/postfix/spamass/spamass.sock",
                "/etc/init.d/spamass-milter:77", spamassDescription, Conditions.remote),
            systemd(
                "rspamd", true, "inet:11332@localhost", "/etc/rspamd/rspamd.conf:53", "rapid spam filtering system",
                Conditions.remote),
            systemd(
                "opendmarc", true, "local:/run/opendmarc/opendmarc.sock", "/etc/opendmarc.conf:67", "OpenDMARC Milter",
                Conditions.none),
            // Environment=SOCKET=... of the unit (the command line is one `sh -c` word).
            systemd(
                "mimedefang", mimedefang, "unix:/var/spool/MIMEDefang/mimedefang.sock",
                "/lib/systemd/system/mimedefang.service:20", "MIMEDefang E-mail Filter", Conditions.none),
            sysv(
                "amavisd-milter", true, "unix:/var/lib/amavis/amavisd-milter.sock", "/etc/init.d/amavisd-milter:51",
                amavisdDescription, Conditions.none),
            systemd(
                "pyspf-milter", true, "inet:8893@localhost", "/etc/pyspf-milter/pyspf-milter.conf:16", "pySPF Milter",
                Conditions.remote),
        ]
    }

    /// The same packages under sysvinit (/sbin/init is not systemd): units are not consulted.
    static let debian12SysV: [DetectedMilter] = [
        sysv(
            "clamav-milter", true, "unix:/var/run/clamav/clamav-milter.ctl", "/etc/clamav/clamav-milter.conf:4",
            clamavDescription, Conditions.none),
        sysv(
            "opendkim", true, "local:/run/opendkim/opendkim.sock", "/etc/opendkim.conf:37",
            "Enable DKIM signing and verification provided by OpenDKIM", Conditions.none),
        sysv(
            "spamass-milter", true, "unix:/var/spool/postfix/spamass/spamass.sock", "/etc/init.d/spamass-milter:77",
            spamassDescription, Conditions.remote),
        sysv(
            "rspamd", true, "inet:11332@localhost", "/etc/rspamd/rspamd.conf:53",
            "Rspamd is fast and modular spam filtering system", Conditions.remote),
        sysv(
            "opendmarc", true, "local:/run/opendmarc/opendmarc.sock", "/etc/opendmarc.conf:67",
            "Enable DMAR verification and reporting provided by OpenDMARC", Conditions.none),
        // SOCKET=${SOCKET:=$SPOOLDIR/$prog.sock}: the default, with the script's lower-case prog.
        sysv(
            "mimedefang", true, "unix:/var/spool/MIMEDefang/mimedefang.sock", "/etc/init.d/mimedefang:223", nil,
            Conditions.none),
        sysv(
            "amavisd-milter", true, "unix:/var/lib/amavis/amavisd-milter.sock", "/etc/init.d/amavisd-milter:51",
            amavisdDescription, Conditions.none),
        sysv(
            "pyspf-milter", true, "inet:8893@localhost", "/etc/pyspf-milter/pyspf-milter.conf:16",
            "Python SPF Milter for Sendmail and Postfix", Conditions.remote),
    ]

    /// The Debian 11 packages as installed under systemd (milter-greylist's unit is enabled by
    /// its postinst although its init script says ENABLED=0; the unit ignores /etc/default).
    static func debian11(enabled: Bool) -> [DetectedMilter] {
        [
            systemd(
                "milter-greylist", enabled, "unix:/var/run/milter-greylist/milter-greylist.sock",
                "/etc/milter-greylist/greylist.conf:13", greylistDescription, Conditions.greylist),
            sysv(
                "clamav-milter", enabled, "unix:/var/run/clamav/clamav-milter.ctl", "/etc/clamav/clamav-milter.conf:4",
                clamavDescription, Conditions.none),
            systemd(
                "opendkim", enabled, "local:/run/opendkim/opendkim.sock", "/etc/opendkim.conf:37", "OpenDKIM Milter",
                Conditions.none),
            sysv(
                "spamass-milter", enabled, "unix:/var/spool/postfix/spamass/spamass.sock",
                "/etc/init.d/spamass-milter:77", spamassDescription, Conditions.remote),
            systemd(
                "rspamd", enabled, "inet:11332@localhost", "/etc/rspamd/rspamd.conf:53", "rapid spam filtering system",
                Conditions.remote),
            systemd(
                "opendmarc", enabled, "local:/run/opendmarc/opendmarc.sock", "/etc/opendmarc.conf:67",
                "OpenDMARC Milter", Conditions.none),
            systemd(
                "mimedefang", false, "unix:/var/spool/MIMEDefang/mimedefang.sock",
                "/lib/systemd/system/mimedefang.service:20", "MIMEDefang E-mail Filter", Conditions.none),
            sysv(
                "amavisd-milter", enabled, "unix:/var/lib/amavis/amavisd-milter.sock", "/etc/init.d/amavisd-milter:51",
                amavisdDescription, Conditions.none),
        ]
    }

    static let cases: [DetectionCase] = [
        DetectionCase("debian-12/packages", DetectionReport(platform: .debian, milters: debian12(), diagnostics: [])),
        DetectionCase("debian-12/sysv", DetectionReport(platform: .debian, milters: debian12SysV, diagnostics: [])),
        // `systemctl enable mimedefang`, `systemctl disable spamass-milter` (its S links become
        // K links), opendkim.conf's inet Socket line uncommented instead of the local one.
        DetectionCase(
            "debian-12/edited",
            DetectionReport(
                platform: .debian, milters: debian12(mimedefang: true, spamass: false, opendkim: "inet:8891@localhost"),
                diagnostics: [])),
        DetectionCase(
            "debian-11/packages", DetectionReport(platform: .debian, milters: debian11(enabled: true), diagnostics: [])),
        DetectionCase(
            "debian-11/all-disabled",
            DetectionReport(platform: .debian, milters: debian11(enabled: false), diagnostics: [])
        ),
        // The install guide under sysvinit: ENABLED=1 and SOCKET in /etc/default (and
        // `update-rc.d milter-greylist enable`, as the package installs it disabled).
        DetectionCase(
            "debian-11/install-guide-sysv",
            DetectionReport(
                platform: .debian,
                milters: [
                    sysv(
                        "milter-greylist", true, "inet:11125@[127.0.0.1]", "/etc/default/milter-greylist:16",
                        greylistDescription, Conditions.greylist),
                    sysv(
                        "clamav-milter", true, "unix:/var/run/clamav/clamav-milter.ctl",
                        "/etc/clamav/clamav-milter.conf:4", clamavDescription, Conditions.none),
                    sysv(
                        "spamass-milter", true, "unix:/var/spool/postfix/spamass/spamass.sock",
                        "/etc/init.d/spamass-milter:77", spamassDescription, Conditions.remote),
                ], diagnostics: [])),
        // Issue #205: the same edits under systemd. The unit does not read /etc/default, so the
        // daemon listens where greylist.conf says, and so does detection.
        DetectionCase(
            "debian-11/issue-205",
            DetectionReport(
                platform: .debian,
                milters: [
                    systemd(
                        "milter-greylist", true, "unix:/var/run/milter-greylist/milter-greylist.sock",
                        "/etc/milter-greylist/greylist.conf:13", greylistDescription, Conditions.greylist)
                ], diagnostics: [])),
        // ... and with the administrator's drop-in giving `-p` on ExecStart.
        DetectionCase(
            "debian-11/issue-205-drop-in",
            DetectionReport(
                platform: .debian,
                milters: [
                    systemd(
                        "milter-greylist", true, "inet:11125@[127.0.0.1]",
                        "/etc/systemd/system/milter-greylist.service.d/override.conf:3", greylistDescription,
                        Conditions.greylist)
                ], diagnostics: [])),
    ]

    @Test(arguments: cases)
    func detects(_ testCase: DetectionCase) {
        let report = Fixtures.detector(testCase.root).detect(platform: testCase.platform)
        expectReport(report, testCase.expected)
    }
}
