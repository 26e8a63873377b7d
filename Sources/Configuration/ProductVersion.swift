/// The version `--version` prints (`milter-manager 1.0.0`).
public enum ProductVersion {
    /// The version number.
    public static let number = "1.0.0"
}
