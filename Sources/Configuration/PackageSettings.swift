/// `package.*`: the platform `load_default` detects for, and the package options.
///
/// The values live in a `SettingStore` filled from `PackageKey.all`; the properties below are
/// typed shortcuts to it (a key needs none: `settings[PackageKey.someKey]` reads any key).
public struct PackageSettings: Hashable, Sendable {
    /// The values of every `PackageKey` key.
    public var store: SettingStore

    /// Every key at its default for the platform of `defaults`.
    public init(defaults: PlatformDefaults) {
        store = SettingStore(keys: PackageKey.all, defaults: defaults)
    }

    /// The setting of `key`.
    public subscript<Value>(key: ConfigurationKey<Value>) -> Setting<Value> {
        get { store[key] }
        set { store[key] = newValue }
    }

    /// `PackageKey.platform`.
    public var platform: Setting<String> {
        get { store[PackageKey.platform] }
        set { store[PackageKey.platform] = newValue }
    }

    /// `PackageKey.options`.
    public var options: Setting<String?> {
        get { store[PackageKey.options] }
        set { store[PackageKey.options] = newValue }
    }

    /// The platform family `load_default` detects for: `redhat7` and the like count as
    /// `redhat`; an unknown name gives `.unknown` (nothing is detected).
    public var detectionPlatform: Platform {
        let name = platform.value.lowercased()
        if name.hasPrefix("redhat") { return .redhat }
        return Platform(rawValue: name) ?? .unknown
    }

    /// `package.options` split on `,` then on the first `=` (blanks trimmed); a part without
    /// `=` maps to nil.
    public var parsedOptions: [String: String?] {
        var result: [String: String?] = [:]
        for part in (options.value ?? "").split(separator: ",") {
            let item = part.trimmingCharacters(in: " \t")
            guard !item.isEmpty else { continue }
            if let equals = item.firstIndex(of: "=") {
                let key = item[..<equals].trimmingCharacters(in: " \t")
                result[String(key)] = String(item[item.index(after: equals)...].trimmingCharacters(in: " \t"))
            } else {
                result[String(item)] = .some(nil)
            }
        }
        return result
    }
}
