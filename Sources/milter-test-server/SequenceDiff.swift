/// A line-by-line diff of two lists (longest common subsequence), for the envelope and header
/// blocks of `--output-message`. Within a gap, removed items come before added ones, so a
/// changed header prints as `-` old then `+` new.
enum SequenceDiff {
    /// One entry of the diff.
    enum Line<Element: Equatable>: Equatable {
        /// In both lists.
        case same(Element)
        /// Only in the first list.
        case removed(Element)
        /// Only in the second list.
        case added(Element)
    }

    /// The diff from `old` to `new`.
    static func diff<Element: Equatable>(_ old: [Element], _ new: [Element]) -> [Line<Element>] {
        let rows = old.count
        let columns = new.count
        // common[i][j]: length of the longest common subsequence of old[i...] and new[j...].
        var common = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
        for i in stride(from: rows - 1, through: 0, by: -1) {
            for j in stride(from: columns - 1, through: 0, by: -1) {
                common[i][j] = old[i] == new[j] ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
            }
        }
        var lines: [Line<Element>] = []
        var i = 0
        var j = 0
        while i < rows && j < columns {
            if old[i] == new[j] {
                lines.append(.same(old[i]))
                i += 1
                j += 1
            } else if common[i + 1][j] >= common[i][j + 1] {
                lines.append(.removed(old[i]))
                i += 1
            } else {
                lines.append(.added(new[j]))
                j += 1
            }
        }
        while i < rows {
            lines.append(.removed(old[i]))
            i += 1
        }
        while j < columns {
            lines.append(.added(new[j]))
            j += 1
        }
        return lines
    }
}
