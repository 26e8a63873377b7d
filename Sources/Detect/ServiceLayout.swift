/// How one service manager of one platform is laid out, as data: where it keeps service
/// definitions and variables, where each milter's configuration file is, and in which order
/// the places that may name a socket are tried.
struct ServiceLayout: Hashable, Sendable {
    /// The reader that understands this service manager.
    enum Kind: Hashable, Sendable {
        /// systemd units (+ drop-ins, overrides, EnvironmentFile, wants links).
        case systemd
        /// upstart jobs.
        case upstart
        /// RedHat SysV init scripts + /etc/sysconfig + chkconfig rc links.
        case redhatSysV
        /// Debian SysV init scripts + /etc/default.
        case debianSysV
        /// FreeBSD rc.d scripts + rc.conf (`<name>_enable`).
        case freebsdRC
        /// pkgsrc rc.d scripts + rc.conf (`<name>=YES`).
        case pkgsrcRC
    }

    /// When clamav-milter counts as 0.95 or later (configured by clamav-milter.conf).
    enum ClamavModernTest: Hashable, Sendable {
        /// Always.
        case always
        /// When the variable is not set (RedHat: `SOCKET_ADDRESS` belongs to older packages).
        case variableAbsent(String)
        /// When `CLAMAVCONF` names clamav-milter's file or `CLAMAVMILTERCONF` is set (Debian).
        case debianConfigVariables
    }

    /// The reader.
    var kind: Kind
    /// Directories holding the service definitions, searched in order.
    var serviceDirectories: [String]
    /// The per-service variables directory (`/etc/sysconfig`, `/etc/default`), if any.
    var variablesDirectory: String?
    /// Where each milter's configuration file is named, tried in order.
    var configPaths: [MilterApplication: [ValueSource]]
    /// Where the socket is looked for, in order; `.application` is the milter's own file.
    var specSources: [ValueSource]
    /// Milters whose socket is looked for in other places than `specSources`.
    var specSourceOverrides: [MilterApplication: [ValueSource]] = [:]
    /// When clamav-milter's file decides (and `Example` in it disables the milter).
    var clamavModernTest: ClamavModernTest = .always
    /// Whether an `Example` line in clamav-milter.conf disables the milter.
    var exampleDisables = true

    /// The sources of the socket for `application`.
    func specSources(for application: MilterApplication) -> [ValueSource] {
        specSourceOverrides[application] ?? specSources
    }
}

extension ServiceLayout {
    private static let redhatSysVSpec: [ValueSource] = [
        .variable("SOCKET"), .variable("SOCKET_ADDRESS"), .variable("MILTER_SOCKET"), .variable("CONNECTION_SPEC"),
        .flag("-p", inVariable: "OPTIONS"),
    ]
    private static let debianSysVSpec: [ValueSource] = [
        .variable("SOCKET"), .variable("SOCKFILE"), .variable("CONNECTION_SPEC"), .flag("-p", inVariable: "OPTARGS"),
        .flag("-p", inVariable: "DAEMON_ARGS"), .flag("-p", inVariable: "PARAMS"),
    ]
    private static let rcSpec: [ValueSource] = [
        .variable("socket"), .variable("sockfile"), .variable("connection_spec"), .flag("-p", inVariable: "flags"),
        .commandLineFlag("-p"),
    ]
    // The command line first: it is what the daemon is really told (`-p` overrides its file).
    private static let systemdSpec: [ValueSource] = [.commandLineFlag("-p"), .application, .variable("SOCKET")]

    // clamav-milter and rspamd have no `-p` option: their own files decide.
    private static func withoutCommandLine(_ sources: [ValueSource]) -> [MilterApplication: [ValueSource]] {
        let rest = sources.filter { $0 != .commandLineFlag("-p") }
        return [.clamav: rest, .rspamd: rest]
    }

    private static func systemdConfigPaths(greylist: String, clamav: String) -> [MilterApplication: [ValueSource]] {
        [
            .greylist: [.commandLineFlag("-f"), .path(greylist)],
            .clamav: [.commandLineFlag("--config-file"), .commandLineFlag("-c"), .path(clamav)],
            .opendkim: [.commandLineFlag("-x"), .flag("-x", inVariable: "OPTIONS"), .path("/etc/opendkim.conf")],
            .opendmarc: [.commandLineFlag("-c"), .flag("-c", inVariable: "OPTIONS"), .path("/etc/opendmarc.conf")],
            .pyspf: [.path("/etc/pyspf-milter/pyspf-milter.conf")],
            .enma: [.variable("CONF_FILE"), .path("/etc/enma.conf")],
        ]
    }

    /// RedHat systemd units (`/usr/lib/systemd/system`), variables from `/etc/sysconfig`.
    static let redhatSystemd = ServiceLayout(
        kind: .systemd, serviceDirectories: ["/usr/lib/systemd/system", "/lib/systemd/system"],
        variablesDirectory: "/etc/sysconfig",
        configPaths: systemdConfigPaths(greylist: "/etc/mail/greylist.conf", clamav: "/etc/mail/clamav-milter.conf"),
        specSources: systemdSpec, specSourceOverrides: withoutCommandLine(systemdSpec))

    /// Debian systemd units (`/lib/systemd/system`), variables from `/etc/default`.
    static let debianSystemd = ServiceLayout(
        kind: .systemd, serviceDirectories: ["/lib/systemd/system", "/usr/lib/systemd/system"],
        variablesDirectory: "/etc/default",
        configPaths: systemdConfigPaths(
            greylist: "/etc/milter-greylist/greylist.conf", clamav: "/etc/clamav/clamav-milter.conf"),
        specSources: systemdSpec, specSourceOverrides: withoutCommandLine(systemdSpec))

    /// RedHat upstart jobs (`/etc/event.d`, and `/etc/init/<job>.conf` of later upstart).
    static let redhatUpstart = ServiceLayout(
        kind: .upstart, serviceDirectories: ["/etc/event.d", "/etc/init"], variablesDirectory: nil,
        configPaths: [
            .greylist: [.commandLineFlag("-f"), .path("/etc/mail/greylist.conf")],
            .clamav: [.commandLineFlag("-c"), .path("/etc/clamav-milter.conf")],
            .opendkim: [.commandLineFlag("-x"), .path("/etc/opendkim.conf")],
            .enma: [.commandLineFlag("-c"), .path("/etc/enma.conf")],
        ],
        specSources: [.commandLineFlag("-p"), .application],
        specSourceOverrides: withoutCommandLine([.commandLineFlag("-p"), .application]))

    /// RedHat SysV init scripts, `/etc/sysconfig`, chkconfig rc links.
    static let redhatSysV = ServiceLayout(
        kind: .redhatSysV, serviceDirectories: ["/etc/init.d", "/etc/rc.d/init.d"],
        variablesDirectory: "/etc/sysconfig",
        configPaths: [
            .greylist: [.flag("-f", inVariable: "OPTIONS"), .headerTag("config"), .path("/etc/mail/greylist.conf")],
            .clamav: [
                .flag("--config-file", inVariable: "CLAMAV_FLAGS"), .flag("-c", inVariable: "CLAMAV_FLAGS"),
                .path("/etc/clamav-milter.conf"),
            ],
            .opendkim: [.variable("CONFIG"), .path("/etc/opendkim.conf")],
            .opendmarc: [.variable("CONFIG"), .path("/etc/opendmarc.conf")],
            .enma: [.variable("CONF_FILE"), .path("/etc/enma.conf")],
        ],
        specSources: [.application] + redhatSysVSpec,
        specSourceOverrides: [.greylist: redhatSysVSpec + [.application]],
        clamavModernTest: .variableAbsent("SOCKET_ADDRESS"))

    /// Debian SysV init scripts and `/etc/default`.
    static let debianSysV = ServiceLayout(
        kind: .debianSysV, serviceDirectories: ["/etc/init.d"], variablesDirectory: "/etc/default",
        configPaths: [
            .greylist: [.flag("-f", inVariable: "OPTIONS"), .path("/etc/milter-greylist/greylist.conf")],
            .clamav: [
                .variable("CLAMAVCONF"), .variable("CLAMAVMILTERCONF"), .path("/etc/clamav/clamav-milter.conf"),
            ],
            .opendkim: [.path("/etc/opendkim.conf")],
            .opendmarc: [.path("/etc/opendmarc.conf")],
            .pyspf: [.path("/etc/pyspf-milter/pyspf-milter.conf")],
        ],
        specSources: [.application] + debianSysVSpec, specSourceOverrides: [.greylist: debianSysVSpec],
        clamavModernTest: .debianConfigVariables)

    /// FreeBSD rc.d scripts from ports.
    static let freebsdRC = ServiceLayout(
        kind: .freebsdRC, serviceDirectories: ["/usr/local/etc/rc.d"], variablesDirectory: nil,
        configPaths: [
            .greylist: [
                .variable("cfgfile"), .flag("-f", inVariable: "flags"), .path("/usr/local/etc/mail/greylist.conf"),
            ],
            .clamav: [
                .scriptVariable("conf_file"), .variable("conf_file"), .commandLineFlag("-c"),
                .path("/usr/local/etc/clamav-milter.conf"),
            ],
            .opendkim: [
                .variable("cfgfile"), .commandLineFlag("-x"), .commandLineFlag("-C"),
                .path("/usr/local/etc/opendkim.conf"),
            ],
            .enma: [.variable("cfgfile"), .commandLineFlag("-c"), .path("/usr/local/etc/enma.conf")],
        ],
        specSources: [.application] + rcSpec, specSourceOverrides: [.greylist: rcSpec], exampleDisables: false)

    /// pkgsrc rc.d scripts (`/usr/pkg/etc/rc.d`, or copied to `/etc/rc.d`).
    static let pkgsrcRC = ServiceLayout(
        kind: .pkgsrcRC, serviceDirectories: ["/usr/pkg/etc/rc.d", "/etc/rc.d"], variablesDirectory: nil,
        configPaths: [
            .greylist: [.commandLineFlag("-f"), .path("/usr/pkg/etc/greylist.conf")],
            .enma: [.commandLineFlag("-c"), .path("/usr/pkg/etc/enma.conf")],
        ],
        specSources: [.application] + rcSpec, specSourceOverrides: [.greylist: rcSpec], exampleDisables: false)
}
