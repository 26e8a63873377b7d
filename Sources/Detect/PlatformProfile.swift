import Configuration

/// Everything detection knows about one platform, as data: which milters to look for (in
/// registration order, with the applicable conditions the platform gives them) and which
/// service managers to ask, in order (the first that reports a milter enabled wins).
public struct PlatformProfile: Hashable, Sendable {
    /// The platform described.
    public var platform: Platform
    /// The candidate milters in the platform's order.
    public var candidates: [MilterCandidate]
    /// Service managers in the order they are asked; the last one registers disabled milters.
    var serviceManagers: [ServiceLayout]
    /// Where rspamd's configuration lives (`/etc/rspamd`, `/usr/local/etc/rspamd`).
    var rspamdDirectory: String

    /// The profile of `platform`; `unknown` has no candidates.
    public static func profile(for platform: Platform) -> PlatformProfile {
        switch platform {
        case .redhat: return redhat
        case .debian: return debian
        case .freebsd: return freebsd
        case .pkgsrc: return pkgsrc
        case .unknown:
            return PlatformProfile(platform: .unknown, candidates: [], serviceManagers: [], rspamdDirectory: "")
        }
    }

    /// RedHat, CentOS, Fedora, Alma, Rocky: systemd, then upstart, then SysV init + chkconfig.
    static let redhat = PlatformProfile(
        platform: .redhat,
        candidates: [
            MilterCandidate("milter-greylist", .greylist, .greylist),
            MilterCandidate("clamav-milter", .clamav, .none),
            MilterCandidate("enma", .enma, .remote),
            MilterCandidate("spamass-milter", .generic, .remote),
            MilterCandidate("amavisd", .generic, .none),
            MilterCandidate("opendkim", .opendkim, .none),
            MilterCandidate("rspamd", .rspamd, .remote),
            // Beyond the original's list (EPEL/Fedora packages).
            MilterCandidate("opendmarc", .opendmarc, .none),
            MilterCandidate("mimedefang", .generic, .none),
        ],
        serviceManagers: [.redhatSystemd, .redhatUpstart, .redhatSysV],
        rspamdDirectory: "/etc/rspamd")

    /// Debian, Ubuntu: systemd, then SysV init + /etc/default.
    static let debian = PlatformProfile(
        platform: .debian,
        candidates: [
            MilterCandidate("milter-greylist", .greylist, .greylist),
            MilterCandidate("spfmilter", .generic, .remote),
            MilterCandidate("clamav-milter", .clamav, .none),
            MilterCandidate("dkim-filter", .generic, .none),
            MilterCandidate("opendkim", .opendkim, .none),
            MilterCandidate("spamass-milter", .generic, .remote),
            MilterCandidate("amavisd-new-milter", .generic, .none),
            MilterCandidate("rspamd", .rspamd, .remote),
            // Beyond the original's list (Debian packages).
            MilterCandidate("opendmarc", .opendmarc, .none),
            MilterCandidate("mimedefang", .generic, .none),
            MilterCandidate("amavisd-milter", .generic, .none, socketVariables: ["MILTERSOCKET"]),
            MilterCandidate("pyspf-milter", .pyspf, .remote),
        ],
        serviceManagers: [.debianSystemd, .debianSysV],
        rspamdDirectory: "/etc/rspamd")

    /// FreeBSD: rc.d scripts in /usr/local/etc/rc.d, rc.conf, rc.conf.local, rc.conf.d.
    static let freebsd = PlatformProfile(
        platform: .freebsd,
        candidates: [
            MilterCandidate("milter-greylist", .greylist, .greylist),
            MilterCandidate("milter-enma", .enma, .remote),
            MilterCandidate("milter-sid", .generic, .remote),
            MilterCandidate("clamav-milter", .clamav, .none),
            MilterCandidate("milter-dkim", .generic, .none),
            MilterCandidate("milter-opendkim", .opendkim, .none),
            MilterCandidate("spamass-milter", .generic, .remote),
            MilterCandidate("amavis-milter", .generic, .none),
            MilterCandidate("rspamd", .rspamd, .remote),
        ],
        serviceManagers: [.freebsdRC],
        rspamdDirectory: "/usr/local/etc/rspamd")

    /// pkgsrc on NetBSD and DragonFly: rc.d scripts under /usr/pkg/etc/rc.d (or /etc/rc.d).
    static let pkgsrc = PlatformProfile(
        platform: .pkgsrc,
        candidates: [
            MilterCandidate("milter-greylist", .greylist, .greylist),
            MilterCandidate("mimedefang", .generic, .none),
            MilterCandidate("enma", .enma, .remote),
            MilterCandidate("dk-milter", .generic, .none),
            MilterCandidate("dkim-filter", .generic, .none),
            MilterCandidate("spamass-milter", .generic, .remote),
            MilterCandidate("amavismilter", .generic, .none),
            MilterCandidate("milter-regex", .generic, .remote),
        ],
        serviceManagers: [.pkgsrcRC],
        rspamdDirectory: "/usr/pkg/etc/rspamd")
}
