import MilterProtocol
import MilterSupport

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
///
/// Files are compared as bytes, line by line (a line ends at `\n`; a `\r` before it belongs to
/// the line, so a CRLF line differs from the same line ending in LF). Lines are shown as UTF-8
/// with invalid bytes replaced and, when a line holds a control character other than a tab,
/// with its control characters escaped (`\r`, `\x00`): a diff never writes raw control bytes
/// to the terminal. The edit script is Myers' shortest one; past `maximumEditDistance`
/// differing lines it gives up and shows the rest as replaced whole, so that time and memory
/// stay bounded on huge, unrelated files.
public enum UnifiedDiff {
    /// The largest number of differing lines for which a shortest edit script is searched.
    public static let maximumEditDistance = 1000

    /// One line of an edit script.
    enum Edit: Equatable {
        /// In both texts (old and new line index).
        case keep(Int, Int)
        /// Only in the old text.
        case delete(Int)
        /// Only in the new text.
        case insert(Int)
    }

    /// One line of a file: its bytes without the `\n`, and whether the `\n` was there.
    struct Line: Hashable {
        var bytes: ArraySlice<UInt8>
        var hasNewline: Bool
    }

    /// The diff of `old` to `new` with `---`/`+++` headers naming `oldName`/`newName`; the
    /// empty string when the texts are equal.
    public static func render(old: String, new: String, oldName: String, newName: String, context: Int = 3)
        -> String
    {
        render(old: Array(old.utf8), new: Array(new.utf8), oldName: oldName, newName: newName, context: context)
    }

    /// The diff of the bytes `old` to `new` (see the type's description).
    public static func render(old: [UInt8], new: [UInt8], oldName: String, newName: String, context: Int = 3)
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
                case .keep(let index, _): output.append(" " + display(oldLines[index]))
                case .delete(let index): output.append("-" + display(oldLines[index]))
                case .insert(let index): output.append("+" + display(newLines[index]))
                }
            }
        }
        return output.joined(separator: "\n") + "\n"
    }

    /// The lines of `bytes`.
    static func lines(of bytes: [UInt8]) -> [Line] {
        var result: [Line] = []
        var start = 0
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            result.append(Line(bytes: bytes[start..<index], hasNewline: true))
            start = index + 1
        }
        if start < bytes.count { result.append(Line(bytes: bytes[start...], hasNewline: false)) }
        return result
    }

    /// A line as the diff shows it; a last line without a newline carries diff's marker.
    static func display(_ line: Line) -> String {
        var text = String(decoding: line.bytes, as: UTF8.self)
        if text.unicodeScalars.contains(where: { ControlCharacters.isControl($0) && $0 != "\t" }) {
            text = ControlCharacters.escaped(text)
        }
        return line.hasNewline ? text : text + "\n\\ No newline at end of file"
    }

    /// A shortest edit script (Myers' greedy algorithm after the common prefix and suffix),
    /// deletions before insertions within each change, as diff prints a changed line.
    static func edits<Element: Equatable>(_ old: [Element], _ new: [Element]) -> [Edit] {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix
            && old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        var script = (0..<prefix).map { Edit.keep($0, $0) }
        let middle = middleEdits(old[prefix..<(old.count - suffix)], new[prefix..<(new.count - suffix)])
        script += normalized(middle)
        for offset in 0..<suffix { script.append(.keep(old.count - suffix + offset, new.count - suffix + offset)) }
        return script
    }

    /// Myers' algorithm on two slices (indices are the slices' own); past the limit, the
    /// whole of `old` deleted and the whole of `new` inserted.
    static func middleEdits<Element: Equatable>(_ old: ArraySlice<Element>, _ new: ArraySlice<Element>) -> [Edit] {
        let n = old.count
        let m = new.count
        let oldStart = old.startIndex
        let newStart = new.startIndex
        let limit = min(n + m, maximumEditDistance)
        let offset = limit + 1
        var frontier = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        for distance in 0...limit {
            trace.append(Array(frontier[(offset - distance)...(offset + distance)]))
            for diagonal in stride(from: -distance, through: distance, by: 2) {
                var x: Int
                if diagonal == -distance
                    || (diagonal != distance && frontier[offset + diagonal - 1] < frontier[offset + diagonal + 1])
                {
                    x = frontier[offset + diagonal + 1]
                } else {
                    x = frontier[offset + diagonal - 1] + 1
                }
                var y = x - diagonal
                while x < n && y < m && old[oldStart + x] == new[newStart + y] {
                    x += 1
                    y += 1
                }
                frontier[offset + diagonal] = x
                if x >= n && y >= m {
                    return backtrack(trace: trace, n: n, m: m, oldStart: oldStart, newStart: newStart)
                }
            }
        }
        return (0..<n).map { Edit.delete(oldStart + $0) } + (0..<m).map { Edit.insert(newStart + $0) }
    }

    /// The path found by `middleEdits`, from the saved frontiers (`trace[d]` holds diagonals
    /// `-d...d` as they were before step `d`).
    private static func backtrack(trace: [[Int]], n: Int, m: Int, oldStart: Int, newStart: Int) -> [Edit] {
        var script: [Edit] = []
        var x = n
        var y = m
        for distance in stride(from: trace.count - 1, through: 0, by: -1) {
            let diagonal = x - y
            let before = trace[distance]
            func frontier(_ k: Int) -> Int { before[k + distance] }
            guard distance > 0 else {
                while x > 0 && y > 0 {
                    script.append(.keep(oldStart + x - 1, newStart + y - 1))
                    x -= 1
                    y -= 1
                }
                break
            }
            let previousDiagonal =
                diagonal == -distance || (diagonal != distance && frontier(diagonal - 1) < frontier(diagonal + 1))
                ? diagonal + 1 : diagonal - 1
            let previousX = frontier(previousDiagonal)
            let previousY = previousX - previousDiagonal
            while x > previousX && y > previousY {
                script.append(.keep(oldStart + x - 1, newStart + y - 1))
                x -= 1
                y -= 1
            }
            if x == previousX {
                script.append(.insert(newStart + previousY))
            } else {
                script.append(.delete(oldStart + previousX))
            }
            x = previousX
            y = previousY
        }
        return script.reversed()
    }

    /// Within each run of changes, the deletions first, then the insertions.
    private static func normalized(_ script: [Edit]) -> [Edit] {
        var result: [Edit] = []
        var deletions: [Edit] = []
        var insertions: [Edit] = []
        for edit in script {
            switch edit {
            case .keep:
                result += deletions + insertions
                deletions = []
                insertions = []
                result.append(edit)
            case .delete: deletions.append(edit)
            case .insert: insertions.append(edit)
            }
        }
        return result + deletions + insertions
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
