/// A line-based unified diff (`diff -u` format, three lines of context), computed in Swift so
/// that `--dry-run` works without external tools.
///
/// ```
/// --- /etc/postfix/main.cf
/// +++ /etc/postfix/main.cf (new)
/// @@ -35,3 +35,5 @@
///  inet_protocols = all
/// +smtpd_milters = unix:/run/milter-manager/milter-manager.sock
/// ```
public enum UnifiedDiff {
    /// One line of an edit script.
    enum Edit: Equatable {
        /// In both texts (old and new line index).
        case keep(Int, Int)
        /// Only in the old text.
        case delete(Int)
        /// Only in the new text.
        case insert(Int)
    }

    /// The diff of `old` to `new` with `---`/`+++` headers naming `oldName`/`newName`; the
    /// empty string when the texts are equal.
    public static func render(old: String, new: String, oldName: String, newName: String, context: Int = 3)
        -> String
    {
        let oldLines = lines(of: old)
        let newLines = lines(of: new)
        guard oldLines != newLines else { return "" }
        let script = edits(oldLines, newLines)
        var output = ["--- " + oldName, "+++ " + newName]
        for hunk in hunks(script, context: context) {
            output.append(header(of: hunk))
            for edit in hunk {
                switch edit {
                case .keep(let index, _): output.append(" " + oldLines[index])
                case .delete(let index): output.append("-" + oldLines[index])
                case .insert(let index): output.append("+" + newLines[index])
                }
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// The lines of `text`; a last line without a newline carries diff's marker, so that it
    /// differs from the same line with one.
    static func lines(of text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if result.last == "" {
            result.removeLast()
        } else {
            result[result.count - 1] += "\n\\ No newline at end of file"
        }
        return result
    }

    /// A shortest edit script by longest common subsequence (texts here are small).
    static func edits(_ old: [String], _ new: [String]) -> [Edit] {
        let rows = old.count + 1
        let columns = new.count + 1
        // lengths[i * columns + j]: LCS length of old[i...] and new[j...].
        var lengths = [Int](repeating: 0, count: rows * columns)
        for i in stride(from: old.count - 1, through: 0, by: -1) {
            for j in stride(from: new.count - 1, through: 0, by: -1) {
                lengths[i * columns + j] =
                    old[i] == new[j]
                    ? lengths[(i + 1) * columns + j + 1] + 1
                    : max(lengths[(i + 1) * columns + j], lengths[i * columns + j + 1])
            }
        }
        var script: [Edit] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if i < old.count && j < new.count && old[i] == new[j] {
                script.append(.keep(i, j))
                i += 1
                j += 1
            } else if i < old.count
                && (j == new.count || lengths[(i + 1) * columns + j] >= lengths[i * columns + j + 1])
            {
                // Deletions before insertions, as diff prints a changed line.
                script.append(.delete(i))
                i += 1
            } else {
                script.append(.insert(j))
                j += 1
            }
        }
        return script
    }

    /// The changes with up to `context` unchanged lines around them; changes closer than
    /// twice the context share a hunk.
    static func hunks(_ script: [Edit], context: Int) -> [[Edit]] {
        let changed = script.indices.filter { index in
            if case .keep = script[index] { return false }
            return true
        }
        guard let first = changed.first else { return [] }
        var ranges: [ClosedRange<Int>] = []
        var start = max(0, first - context)
        var end = min(script.count - 1, first + context)
        for index in changed.dropFirst() {
            if index - context <= end + 1 {
                end = min(script.count - 1, index + context)
            } else {
                ranges.append(start...end)
                start = max(0, index - context)
                end = min(script.count - 1, index + context)
            }
        }
        ranges.append(start...end)
        return ranges.map { Array(script[$0]) }
    }

    /// `@@ -start,count +start,count @@` for a hunk. A side with no line in the hunk (an empty
    /// file: otherwise context lines would be there) starts at 0, as in diff.
    static func header(of hunk: [Edit]) -> String {
        var oldStart = 0
        var newStart = 0
        var oldCount = 0
        var newCount = 0
        for edit in hunk {
            switch edit {
            case .keep(let old, let new):
                if oldCount == 0 { oldStart = old + 1 }
                if newCount == 0 { newStart = new + 1 }
                oldCount += 1
                newCount += 1
            case .delete(let old):
                if oldCount == 0 { oldStart = old + 1 }
                oldCount += 1
            case .insert(let new):
                if newCount == 0 { newStart = new + 1 }
                newCount += 1
            }
        }
        return "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }
}
