/// Which init a root boots, as far as its `/sbin/init` tells: systemd-sysv makes it a link to
/// `…/systemd`; sysvinit-core and upstart ship a program of their own there.
enum InitSystem: Hashable {
    /// `/sbin/init` is systemd.
    case systemd
    /// `/sbin/init` is another program.
    case other
    /// There is no `/sbin/init` (a partial root): every service manager is asked, as the
    /// original does.
    case unknown

    /// The init of the root `fileSystem` reads.
    init(fileSystem: RootFileSystem) {
        guard let resolved = fileSystem.resolve("/sbin/init") else {
            // A dangling link to systemd still names it (fixture roots do not ship systemd).
            if let target = fileSystem.readLinkTarget("/sbin/init") {
                self = RootFileSystem.lastComponent(target) == "systemd" ? .systemd : .other
            } else {
                self = .unknown
            }
            return
        }
        self = RootFileSystem.lastComponent(resolved) == "systemd" ? .systemd : .other
    }
}
