#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// C `printf` number formatting, as the original's C code prints numbers: `%g` for the elapsed
/// times of the statistics lines and the test tools' reports, fixed decimals for their tables.
public enum CFormat {
    /// `format` applied to `arguments` by `vsnprintf` (a short result is formatted on the stack,
    /// without an intermediate array: the statistics lines call this on the proxy's hot path).
    public static func format(_ format: String, _ arguments: CVarArg...) -> String {
        let short = withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer -> String? in
            let needed = withVaList(arguments) { vsnprintf(buffer.baseAddress, buffer.count, format, $0) }
            if needed < 0 { return "" }
            guard Int(needed) < buffer.count else { return nil }
            return String(
                decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: Int(needed)), as: UTF8.self)
        }
        if let short { return short }
        var capacity = 64
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let needed = withVaList(arguments) { list in
                buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, capacity, format, list) }
            }
            if needed < 0 { return "" }
            if Int(needed) < capacity {
                return String(decoding: buffer.prefix(Int(needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(needed) + 1
        }
    }

    /// `%g`: `0.128`, `1.5e-05`, `300`.
    public static func g(_ value: Double) -> String { format("%g", value) }

    /// A fixed number of decimals, e.g. `fixed(1.23456, 3)` is `1.235`.
    public static func fixed(_ value: Double, _ decimals: Int32) -> String { format("%.*f", decimals, value) }
}
