#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// C `printf` number formatting (`%g` for elapsed times, as the original prints them).
enum CFormat {
    /// `format` applied to `arguments` by `vsnprintf`.
    static func format(_ format: String, _ arguments: CVarArg...) -> String {
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
    static func g(_ value: Double) -> String { format("%g", value) }

    /// A fixed number of decimals, e.g. `fixed(1.23456, 3)` is `1.235`.
    static func fixed(_ value: Double, _ decimals: Int32) -> String { format("%.*f", decimals, value) }
}
