/// The platform families whose service managers and file layouts detection knows.
public enum Platform: String, Hashable, Sendable, CaseIterable {
    /// Debian, Ubuntu and derivatives (SysV rc links + /etc/default, systemd).
    case debian
    /// RedHat, CentOS, Fedora, Alma, Rocky (SysV + chkconfig, upstart, systemd, /etc/sysconfig).
    case redhat
    /// FreeBSD (rc.d scripts + rc.conf / rc.conf.local).
    case freebsd
    /// pkgsrc on NetBSD and DragonFly (rc.d + rc.conf).
    case pkgsrc
    /// Anything else: nothing is detected.
    case unknown
}
