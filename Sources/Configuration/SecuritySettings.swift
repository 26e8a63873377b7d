/// `security.*`: privilege mode and the user and group the daemon runs as.
public struct SecuritySettings: Hashable, Sendable {
    /// `security.privilege_mode`: needed to start child milters (`milter.command`); when
    /// false the daemon neither switches user nor starts children.
    public var privilegeMode: Setting<Bool>
    /// `security.effective_user` (`-u`, `--user-name`).
    public var effectiveUser: Setting<String?>
    /// `security.effective_group` (`-g`, `--group-name`).
    public var effectiveGroup: Setting<String?>

    /// The defaults for `platform`.
    public init(defaults: PlatformDefaults) {
        privilegeMode = Setting(false)
        effectiveUser = Setting(defaults.effectiveUser)
        effectiveGroup = Setting(defaults.effectiveGroup)
    }
}
