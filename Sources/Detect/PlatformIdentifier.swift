import Configuration

/// Tells which platform a root is from its own files: `/etc/os-release` (`ID`, then
/// `ID_LIKE`), then marker files (`/etc/redhat-release`, `/etc/debian_version`,
/// `/bin/freebsd-version`, ...).
struct PlatformIdentifier {
    let fileSystem: RootFileSystem

    private static let families: [(ids: Set<String>, platform: Platform)] = [
        (["debian", "ubuntu", "raspbian", "linuxmint", "devuan", "kali", "pop", "elementary"], .debian),
        (
            [
                "rhel", "centos", "fedora", "almalinux", "rocky", "ol", "amzn", "scientific", "redhat", "eurolinux",
                "circle", "cloudlinux", "virtuozzo",
            ], .redhat
        ),
        (["freebsd"], .freebsd),
        (["netbsd", "dragonfly", "dragonflybsd"], .pkgsrc),
    ]

    private static let markers: [(path: String, platform: Platform)] = [
        ("/etc/redhat-release", .redhat), ("/etc/centos-release", .redhat), ("/etc/fedora-release", .redhat),
        ("/etc/system-release", .redhat), ("/etc/debian_version", .debian), ("/usr/bin/dpkg", .debian),
        ("/bin/freebsd-version", .freebsd), ("/netbsd", .pkgsrc), ("/usr/pkg/sbin/pkg_info", .pkgsrc),
        ("/usr/pkg/etc", .pkgsrc),
    ]

    /// The platform of the root, `unknown` when nothing tells.
    func identify() -> Platform {
        for path in ["/etc/os-release", "/usr/lib/os-release"] {
            if let text = fileSystem.readFile(path), let platform = Self.platform(osRelease: text) { return platform }
        }
        for marker in Self.markers where fileSystem.entryExists(marker.path) { return marker.platform }
        return .unknown
    }

    /// The platform named by an os-release text (`ID` first, then each `ID_LIKE` word).
    static func platform(osRelease text: String) -> Platform? {
        var values: [String: String] = [:]
        for line in text.lines() {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingBlanks()
            values[key] = ShellValue.normalize(line[line.index(after: equals)...].trimmingBlanks()) { _ in nil }
        }
        let ids = [values["ID"]].compactMap { $0 } + (values["ID_LIKE"] ?? "").split(separator: " ").map(String.init)
        for id in ids {
            if let family = families.first(where: { $0.ids.contains(id.lowercased()) }) { return family.platform }
        }
        return nil
    }
}
