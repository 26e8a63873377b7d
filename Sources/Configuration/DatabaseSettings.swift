/// `database.*`: accepted so that configurations written for the original load, recorded and
/// printed by `--show-config`, and otherwise ignored (this product has no database support;
/// setting any of them produces a warning).
public struct DatabaseSettings: Hashable, Sendable {
    /// `database.type`.
    public var type: Setting<String?>
    /// `database.name`.
    public var name: Setting<String?>
    /// `database.host`.
    public var host: Setting<String?>
    /// `database.port`.
    public var port: Setting<Int?>
    /// `database.path`.
    public var path: Setting<String?>
    /// `database.user`.
    public var user: Setting<String?>
    /// `database.password`.
    public var password: Setting<String?>

    /// Everything unset.
    public init() {
        type = Setting(nil)
        name = Setting(nil)
        host = Setting(nil)
        port = Setting(nil)
        path = Setting(nil)
        user = Setting(nil)
        password = Setting(nil)
    }
}
