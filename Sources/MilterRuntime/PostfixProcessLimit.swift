import Configuration

/// Postfix's smtpd process limit, for the stress threshold (detection.md §6.6): 75 % of the
/// `maxproc` of the first `smtp inet` service in master.cf, or of main.cf's
/// `default_process_limit` when it is `-`; 0 (no threshold) without master.cf or such a service.
enum PostfixProcessLimit {
    /// The threshold for the Postfix under `root`.
    static func stressThreshold(root: String) -> Int {
        let directory = RootDirectory(root)
        guard let master = PostfixMasterCf.read(root: directory),
            let limit = master.smtpProcessLimit(main: PostfixMainCf.read(root: directory)), limit > 0
        else { return 0 }
        return limit / 4 * 3 + limit % 4 * 3 / 4
    }
}
