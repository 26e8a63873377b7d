/// One message header, name and value as on the wire.
public struct Header: Hashable, Sendable, CustomStringConvertible {
    /// The field name.
    public var name: MilterString
    /// The field value (continuation lines included).
    public var value: MilterString

    /// A header.
    public init(name: MilterString, value: MilterString) {
        self.name = name
        self.value = value
    }

    /// `Name: value`.
    public var description: String { "\(name.string): \(value.string)" }
}

/// A message's headers in order, changed the way Sendmail applies milter requests
/// (runtime.md §2.5), and the diff that tells an MTA how to get from one list to another.
public struct HeaderList: Hashable, Sendable {
    /// The headers in order.
    public var headers: [Header]

    /// A list.
    public init(_ headers: [Header] = []) {
        self.headers = headers
    }

    /// Appends a header as the MTA sent it.
    public mutating func append(name: MilterString, value: MilterString) {
        headers.append(Header(name: name, value: value))
    }

    /// `h`: inserted before the first header of the same name (case-insensitive), else appended.
    public mutating func add(name: MilterString, value: MilterString) {
        let header = Header(name: name, value: value)
        if let first = headers.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) {
            headers.insert(header, at: first)
        } else {
            headers.append(header)
        }
    }

    /// `i`: inserted at a 0-based position; past the end means appended.
    public mutating func insert(at index: UInt32, name: MilterString, value: MilterString) {
        let position = Int(min(UInt64(index), UInt64(headers.count)))
        headers.insert(Header(name: name, value: value), at: position)
    }

    /// `m`: the `index`-th (1-based) header called `name` (case-insensitive, as Sendmail
    /// compares) gets `value`; an empty value deletes it. A missing header is added (unless the
    /// request was a deletion, which is then a no-op).
    public mutating func change(index: UInt32, name: MilterString, value: MilterString) {
        if let position = position(ofOccurrence: index, named: name) {
            if value.isEmpty {
                headers.remove(at: position)
            } else {
                headers[position].value = value
            }
        } else if !value.isEmpty {
            add(name: name, value: value)
        }
    }

    /// Applies a header modification; other modifications are ignored (returns false).
    @discardableResult
    public mutating func apply(_ modification: MessageModification) -> Bool {
        switch modification {
        case .addHeader(let name, let value): add(name: name, value: value)
        case .insertHeader(let index, let name, let value): insert(at: index, name: name, value: value)
        case .changeHeader(let index, let name, let value): change(index: index, name: name, value: value)
        case .changeFrom, .addRecipient, .deleteRecipient, .replaceBody: return false
        }
        return true
    }

    /// The first header called `name`, if any.
    public func first(named name: MilterString) -> Header? {
        headers.first { $0.name.caseInsensitiveEquals(name) }
    }

    private func position(ofOccurrence occurrence: UInt32, named name: MilterString) -> Int? {
        guard occurrence >= 1 else { return nil }
        var seen: UInt32 = 0
        for (position, header) in headers.enumerated() where header.name.caseInsensitiveEquals(name) {
            seen += 1
            if seen == occurrence { return position }
        }
        return nil
    }

    /// The modifications that turn `original` (what the MTA has) into this list, in the order
    /// the MTA must apply them. It replays them on a copy of the MTA's list as it goes, so every
    /// index is right at the moment the MTA applies it: walking this list, a header still
    /// present after the last placed one is kept; else the next remaining original of the same
    /// name is changed; else the header is inserted after the last placed one. Originals left
    /// over are deleted, last first.
    public func modifications(from original: HeaderList) -> [MessageModification] {
        struct Entry {
            var header: Header
            var isRemainingOriginal: Bool
        }
        var current = original.headers.map { Entry(header: $0, isRemainingOriginal: true) }
        var result: [MessageModification] = []
        var lastPlaced = -1
        func occurrence(at index: Int) -> UInt32 {
            let name = current[index].header.name
            return UInt32(current[...index].filter { $0.header.name.caseInsensitiveEquals(name) }.count)
        }
        for header in headers {
            let later = current.indices.dropFirst(lastPlaced + 1)
            if let same = later.first(where: { current[$0].isRemainingOriginal && current[$0].header == header }) {
                current[same].isRemainingOriginal = false
                lastPlaced = same
            } else if !header.value.isEmpty,  // an empty value in `m` would mean "delete"
                let sameName = later.first(where: {
                    current[$0].isRemainingOriginal && current[$0].header.name == header.name
                })
            {
                result.append(.changeHeader(index: occurrence(at: sameName), name: header.name, value: header.value))
                current[sameName] = Entry(header: header, isRemainingOriginal: false)
                lastPlaced = sameName
            } else {
                let position = lastPlaced + 1
                result.append(.insertHeader(index: UInt32(position), name: header.name, value: header.value))
                current.insert(Entry(header: header, isRemainingOriginal: false), at: position)
                lastPlaced = position
            }
        }
        for index in current.indices.reversed() where current[index].isRemainingOriginal {
            result.append(.changeHeader(index: occurrence(at: index), name: current[index].header.name, value: .empty))
            current.remove(at: index)
        }
        return result
    }
}
