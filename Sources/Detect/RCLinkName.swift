/// An rc link name: `S79milter-greylist` → start, order 79, service `milter-greylist`.
struct RCLinkName: Hashable {
    /// Whether it is an `S` (start) link rather than a `K` (kill) link.
    var starts: Bool
    /// The service the link runs.
    var service: String

    /// Parses `[SK][0-9][0-9]<service>`; nil for other names.
    init?(name: String) {
        let characters = Array(name)
        guard characters.count > 3, characters[0] == "S" || characters[0] == "K",
            characters[1].isASCII, characters[1].isNumber, characters[2].isASCII, characters[2].isNumber
        else { return nil }
        starts = characters[0] == "S"
        service = String(characters[3...])
    }
}
