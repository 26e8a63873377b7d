import Configuration
import Testing

@testable import Detect

/// Debian family: SysV + /etc/default (Debian 5, 7), systemd (Debian 12, Ubuntu 22.04).
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
        _ name: String, _ spec: String?, _ source: String?, _ description: String?, _ conditions: [String]
    ) -> DetectedMilter {
        milter(
            name, enabled: true, spec: spec, source: source, description: description,
            command: "/usr/bin/systemctl", options: "start \(name)", conditions: conditions)
    }

    static let greylistDescription =
        "milter-greylist is a stand-alone milter that implements the greylist filtering method."

    /// Every Debian candidate with its SysV script; ENABLED=0 (or K links) when disabled.
    static func allSysV(enabled: Bool) -> [DetectedMilter] {
        [
            sysv(
                "milter-greylist", enabled, "inet:11125@[127.0.0.1]", "/etc/default/milter-greylist:8",
                greylistDescription, Conditions.greylist),
            sysv(
                "spfmilter", enabled, "local:/var/run/spfmilter/spfmilter.sock", "/etc/init.d/spfmilter:23",
                "Sender Policy Framework milter", Conditions.remote),
            sysv(
                "clamav-milter", enabled, "unix:/var/run/clamav/clamav-milter.ctl", "/etc/clamav/clamav-milter.conf:22",
                "Sendmail milter plugin for ClamAV", Conditions.none),
            sysv(
                "dkim-filter", enabled, "inet6:8892@[::1]", "/etc/default/dkim-filter:6",
                "DomainKeys Identified Mail filter", Conditions.none),
            sysv(
                "opendkim", enabled, "local:/var/run/opendkim/opendkim.sock", "/etc/init.d/opendkim:25",
                "Start the OpenDKIM service to provide DKIM signing and verification.", Conditions.none),
            // No LSB Description: DESC.
            sysv(
                "spamass-milter", enabled, "unix:/var/spool/postfix/spamass/spamass.sock",
                "/etc/default/spamass-milter:24", "Sendmail milter plugin for SpamAssassin", Conditions.remote),
            sysv(
                "amavisd-new-milter", enabled, "unix:/var/lib/amavis/amavisd-new-milter.sock",
                "/etc/init.d/amavisd-new-milter:23", "amavisd-new milter helper", Conditions.none),
            // rspamd on SysV reads rspamd's own files (beyond the original); `[::1]:PORT` is inet6.
            sysv(
                "rspamd", enabled, "inet6:11332@[::1]", "/etc/rspamd/rspamd.conf:24", "Rapid spam filtering system",
                Conditions.remote),
        ]
    }

    static let cases: [DetectionCase] = [
        DetectionCase(
            "debian-7/all-enabled", DetectionReport(platform: .debian, milters: allSysV(enabled: true), diagnostics: [])
        ),
        DetectionCase(
            "debian-7/all-disabled",
            DetectionReport(platform: .debian, milters: allSysV(enabled: false), diagnostics: [])
        ),
        // Before 0.95: `SOCKET="local:$SOCKET"` read as local:local:/..., collapsed to one prefix;
        // clamav-milter.conf (an `Example`) is not consulted.
        DetectionCase(
            "debian-5/clamav-0.94",
            DetectionReport(
                platform: .debian,
                milters: [
                    sysv(
                        "clamav-milter", true, "local:/var/run/clamav/clamav-milter.ctl",
                        "/etc/init.d/clamav-milter:30",
                        "Sendmail milter plugin for ClamAV", Conditions.none)
                ], diagnostics: [])),
        DetectionCase(
            "debian-12/all-enabled",
            DetectionReport(
                platform: .debian,
                milters: [
                    systemd(
                        "milter-greylist", "unix:/run/milter-greylist/milter-greylist.sock",
                        "/etc/milter-greylist/greylist.conf:9", "Greylisting milter", Conditions.greylist),
                    systemd(
                        "spfmilter", "inet:8890@localhost", "/lib/systemd/system/spfmilter.service:7", "SPF milter",
                        Conditions.remote),
                    systemd(
                        "clamav-milter", "unix:/var/run/clamav/clamav-milter.ctl", "/etc/clamav/clamav-milter.conf:22",
                        "Sendmail milter plugin for ClamAV", Conditions.none),
                    // `-p $SOCKET` in ExecStart: the variable's own line.
                    systemd(
                        "dkim-filter", "inet:8892", "/etc/default/dkim-filter:2", "DKIM Filter", Conditions.none),
                    systemd(
                        "opendkim", "local:/run/opendkim/opendkim.sock", "/etc/opendkim.conf:31", "OpenDKIM Milter",
                        Conditions.none),
                    systemd(
                        "spamass-milter", "unix:/var/spool/postfix/spamass/spamass.sock",
                        "/etc/default/spamass-milter:24", "Sendmail milter plugin for SpamAssassin", Conditions.remote
                    ),
                    systemd(
                        "amavisd-new-milter", "inet:3381@127.0.0.1", "/lib/systemd/system/amavisd-new-milter.service:7",
                        "amavisd-new milter", Conditions.none),
                    systemd(
                        "rspamd", "inet:11332@localhost", "/etc/rspamd/rspamd.conf:24", "rapid spam filtering system",
                        Conditions.remote),
                ], diagnostics: [])),
        // Issue #205: a drop-in passes `-p ${SOCKET}`, SOCKET from /etc/default: that socket.
        DetectionCase(
            "debian-12/issue-205",
            DetectionReport(
                platform: .debian,
                milters: [
                    systemd(
                        "milter-greylist", "inet:11125@[127.0.0.1]", "/etc/default/milter-greylist:8",
                        "Greylisting milter", Conditions.greylist)
                ], diagnostics: [])),
        // Without the drop-in the daemon does not see SOCKET; greylist.conf's socket is the one it uses.
        DetectionCase(
            "debian-12/issue-205-without-drop-in",
            DetectionReport(
                platform: .debian,
                milters: [
                    systemd(
                        "milter-greylist", "unix:/var/run/milter-greylist/milter-greylist.sock",
                        "/etc/milter-greylist/greylist.conf:9", "Greylisting milter", Conditions.greylist)
                ], diagnostics: [])),
        DetectionCase(
            "ubuntu-22.04/mixed",
            DetectionReport(
                platform: .debian,
                milters: [
                    // `systemctl disable` (no wants link, K links from update-rc.d): disabled.
                    sysv(
                        "milter-greylist", false, "inet:11125@[127.0.0.1]", "/etc/default/milter-greylist:8",
                        greylistDescription, Conditions.greylist),
                    // The drop-in generated from /etc/default/opendkim overrides opendkim.conf's Socket.
                    systemd(
                        "opendkim", "local:/var/spool/postfix/opendkim/opendkim.sock",
                        "/etc/systemd/system/opendkim.service.d/override.conf:3", "OpenDKIM Milter", Conditions.none),
                    sysv(
                        "spamass-milter", true, "unix:/var/spool/postfix/spamass/spamass.sock",
                        "/etc/default/spamass-milter:24", "Sendmail milter plugin for SpamAssassin", Conditions.remote),
                ], diagnostics: [])),
    ]

    @Test(arguments: cases)
    func detects(_ testCase: DetectionCase) {
        let report = Fixtures.detector(testCase.root).detect(platform: testCase.platform)
        expectReport(report, testCase.expected)
    }
}
