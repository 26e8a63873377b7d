/// Finds the closest known name to a misspelt one, for "did you mean" hints.
enum Suggestion {
    /// The candidate with the smallest edit distance to `name`, if it is close enough
    /// (at most a third of the name's length, and at least 1). A candidate whose length
    /// differs from the name's by more than that cannot be close enough and is not compared,
    /// so that a huge misspelt name costs no more than one as long as the longest candidate.
    static func closest(to name: String, in candidates: [String]) -> String? {
        let length = name.unicodeScalars.count
        let limit = max(1, length / 3)
        var best: (name: String, distance: Int)?
        for candidate in candidates where abs(candidate.unicodeScalars.count - length) <= limit {
            let distance = editDistance(name, candidate, limit: min(limit, best?.distance ?? limit))
            guard distance <= limit else { continue }
            // The smallest distance; among equals, the name that sorts first.
            if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// Levenshtein distance over Unicode scalars (names are ASCII), or `limit + 1` as soon as
    /// it is certain to exceed `limit`: every cell of a row above the limit.
    static func editDistance(_ lhs: String, _ rhs: String, limit: Int = Int.max - 1) -> Int {
        let a = Array(lhs.unicodeScalars)
        let b = Array(rhs.unicodeScalars)
        if a.isEmpty { return min(b.count, limit + 1) }
        if b.isEmpty { return min(a.count, limit + 1) }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return min(previous[b.count], limit + 1)
    }
}
