import CRRD
import Foundation

/// RRDtool 1.7 through Debian's librrd: the RRD files and PNG graphs.
///
/// librrd keeps per-process state (option parsing, the error message), so every call holds
/// one lock; the analyzer itself is single-threaded, the lock only matters to tests that run
/// in parallel.
public struct RRDTool: Sendable {
    private static let lock = NSLock()

    /// The tool.
    public init() {}

    /// When the file was last updated, seconds since the epoch.
    public func lastUpdate(_ path: String) throws(RRDError) -> Int64 {
        try call("read", path) { () -> Int64? in
            let last = rrd_last_r(path)
            return last < 0 ? nil : Int64(last)
        }
    }

    /// The names of the file's data sources.
    public func dataSourceNames(_ path: String) throws(RRDError) -> Set<String> {
        try call("read", path) { () -> Set<String>? in
            guard let info = rrd_info_r(path) else { return nil }
            defer { rrd_info_free(info) }
            var names: Set<String> = []
            var entry: UnsafeMutablePointer<rrd_info_t>? = info
            while let current = entry {
                let key = String(cString: current.pointee.key)
                if key.hasPrefix("ds["), let close = key.firstIndex(of: "]") {
                    names.insert(String(key[key.index(key.startIndex, offsetBy: 3)..<close]))
                }
                entry = current.pointee.next
            }
            return names
        }
    }

    /// Creates `path` (never over an existing file or link) with a 60-second step, GAUGE data
    /// sources (heartbeat 180, minimum 0) and `archives` (`RRA:...` definitions), empty up to `start`.
    public func create(_ path: String, start: Int64, dataSources: [DataSource], archives: [String])
        throws(RRDError)
    {
        let definitions = dataSources.map { "DS:\($0.name):GAUGE:180:0:U" } + archives
        try call("create", path) { () -> Bool? in
            withCStrings(definitions) { argv in
                rrd_create_r2(path, 60, time_t(start), 1, nil, nil, argv.count, argv.constant) == 0 ? true : nil
            }
        }
    }

    /// Adds data sources the file lacks (a file the original made before a source existed).
    public func addDataSources(_ path: String, _ dataSources: [DataSource]) throws(RRDError) {
        let arguments = ["tune", path] + dataSources.map { "DS:\($0.name):GAUGE:180:0:U" }
        try call("add data sources to", path) { () -> Bool? in
            withCStrings(arguments) { argv in
                rrd_tune(argv.count, argv.mutable) == 0 ? true : nil
            }
        }
    }

    /// Feeds `rows` (`TIME:V1:V2...` for the data sources named in `template`, in that order).
    public func update(_ path: String, template: [String], rows: [String]) throws(RRDError) {
        let joined = template.joined(separator: ":")
        try call("update", path) { () -> Bool? in
            withCStrings(rows) { argv in
                rrd_update_r(path, joined, argv.count, argv.constant) == 0 ? true : nil
            }
        }
    }

    /// Draws a graph (`arguments` as for `rrdtool graph`, without the file name) and returns
    /// the PNG bytes.
    public func graph(_ arguments: [String], name: String) throws(RRDError) -> [UInt8] {
        try call("draw", name) { () -> [UInt8]? in
            withCStrings(["graph", "-"] + arguments) { argv -> [UInt8]? in
                guard let info = rrd_graph_v(argv.count, argv.mutable) else {
                    return nil
                }
                defer { rrd_info_free(info) }
                var entry: UnsafeMutablePointer<rrd_info_t>? = info
                while let current = entry {
                    if String(cString: current.pointee.key) == "image", current.pointee.type == RD_I_BLO {
                        let blob = current.pointee.value.u_blo
                        return Array(UnsafeBufferPointer(start: blob.ptr, count: Int(blob.size)))
                    }
                    entry = current.pointee.next
                }
                return nil
            }
        }
    }

    /// Runs `body` under the lock; nil means failure, reported with librrd's message.
    @discardableResult
    private func call<Result>(_ operation: String, _ path: String, _ body: () -> Result?) throws(RRDError) -> Result {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        rrd_clear_error()
        if let result = body() { return result }
        var message = rrd_get_error().map { String(cString: $0) } ?? ""
        if message.isEmpty { message = "librrd gave no reason" }
        rrd_clear_error()
        throw RRDError(operation: operation, path: path, message: message)
    }
}

/// A C `argv` of `strings`, valid only during `body`.
private struct CArguments {
    let count: Int32
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    /// `char **`.
    var mutable: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> { pointers }
    /// `const char **`.
    var constant: UnsafeMutablePointer<UnsafePointer<CChar>?> {
        UnsafeMutableRawPointer(pointers).assumingMemoryBound(to: UnsafePointer<CChar>?.self)
    }
}

/// Calls `body` with `strings` as a C `argv` (NULL-terminated).
private func withCStrings<Result>(_ strings: [String], _ body: (CArguments) -> Result) -> Result {
    let pointers = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
    for (index, string) in strings.enumerated() { pointers[index] = strdup(string) }
    pointers[strings.count] = nil
    defer {
        for index in 0..<strings.count { free(pointers[index]) }
        pointers.deallocate()
    }
    return body(CArguments(count: Int32(strings.count), pointers: pointers))
}

extension RRDTool {
    /// Rows of `path` between `start` and `end` at `step` seconds (or the nearest the file
    /// keeps), with consolidation `function` (`AVERAGE`, `MAX`).
    public func fetch(_ path: String, function: String, start: Int64, end: Int64, step: Int64) throws(RRDError)
        -> RRDRows
    {
        try call("read", path) { () -> RRDRows? in
            var first = time_t(start)
            var last = time_t(end)
            var resolution = UInt(step)
            var count: UInt = 0
            var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
            var data: UnsafeMutablePointer<rrd_value_t>?
            guard rrd_fetch_r(path, function, &first, &last, &resolution, &count, &names, &data) == 0 else {
                return nil
            }
            defer {
                for index in 0..<Int(count) { rrd_freemem(names?[index]) }
                rrd_freemem(names)
                rrd_freemem(data)
            }
            let columns = (0..<Int(count)).map { String(cString: names![$0]!) }
            let rowCount = resolution > 0 ? Int((Int64(last) - Int64(first)) / Int64(resolution)) : 0
            var rows: [[Double]] = []
            for row in 0..<rowCount {
                rows.append((0..<columns.count).map { data![row * columns.count + $0] })
            }
            return RRDRows(start: Int64(first), step: Int64(resolution), names: columns, rows: rows)
        }
    }
}
