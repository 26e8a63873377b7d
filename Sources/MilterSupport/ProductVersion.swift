/// The product's version: what every executable's `--version` prints after its name
/// (`milter-manager 1.0.0`) and what the daemon logs when it starts.
public enum ProductVersion {
    /// The version number.
    public static let number = "1.0.0"
}
