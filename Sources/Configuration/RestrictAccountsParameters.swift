/// Parameters of a condition made by `restrict_accounts_by_list` (detection.md 6.8): only
/// recipients matching one of `accounts` keep the milter; others are skipped for it, and the
/// milter is stopped for the message when any other recipient was seen.
public struct RestrictAccountsParameters: Hashable, Sendable {
    /// Recipient addresses (without `<>`) or regexes.
    public var accounts: [TextMatcher]

    /// The accounts.
    public init(accounts: [TextMatcher]) {
        self.accounts = accounts
    }

    /// The description the original gives these conditions.
    public static let description = "Restrict milters to specified accounts"
}
