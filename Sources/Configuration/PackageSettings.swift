/// `package.*`: the platform `load_default` detects for, and the package options.
public struct PackageSettings: Hashable, Sendable {
    /// `package.platform` as written (`debian`, `redhat`, `redhat9`, ...).
    public var platform: Setting<String>
    /// `package.options` (`K=V,K=V`), nil when none.
    public var options: Setting<String?>

    /// The defaults for a daemon built for `platform`.
    public init(platform: Platform) {
        self.platform = Setting(platform.rawValue)
        self.options = Setting(nil)
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
