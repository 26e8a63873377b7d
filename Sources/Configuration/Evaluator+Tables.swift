/// Postfix lookup tables and script files named in the configuration: resolved against the
/// load path, read through the root, parsed with file:line errors, each read once per load.
extension Evaluator {
    /// The helper groups whose list methods take `"TYPE:PATH"` tables as entries.
    static let groupsTakingTables: Set<ConfigurationGroup> = [.s25r, .remoteNetwork, .trust]

    /// A file named in the configuration, inside the root: an absolute name as is, a relative
    /// one in the first load-path directory that has it (the first directory when none has).
    func resolveDataFile(_ name: String) -> String {
        if name.hasPrefix("/") { return name }
        for directory in loadPaths {
            let candidate = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            if root.entryExists(candidate) { return candidate }
        }
        let first = loadPaths.first ?? "/"
        return first.hasSuffix("/") ? first + name : first + "/" + name
    }

    /// The table `reference` names, loaded (from this load's cache when read before). Problems
    /// in the file are recorded at their lines (warnings as warnings); a file that cannot be
    /// read throws at `here`.
    mutating func loadTable(_ reference: PostfixTableReference, at here: SourceLocation) throws(ConfigurationError)
        -> PostfixTable
    {
        let path = resolveDataFile(reference.path)
        let key = reference.type.rawValue + ":" + path
        if var cached = tableCache[key] {
            cached.reference = reference
            return cached
        }
        let loaded: (table: PostfixTable, problems: [ConfigurationError])
        do {
            loaded = try PostfixTable.load(reference, resolvedPath: path, root: root)
        } catch {
            throw ConfigurationError(Self.readFailure(path, error, root: root), at: here)
        }
        for problem in loaded.problems {
            if problem.isWarning {
                warnings.append(
                    Diagnostic(location: problem.location, severity: .warning, message: problem.message))
            } else {
                errors.append(problem)
            }
        }
        tableCache[key] = loaded.table
        return loaded.table
    }

    /// `values` with every string that names a table (`"cidr:/path"`) replaced by the loaded
    /// table, inside arrays too. A table that cannot be read fails the statement.
    mutating func resolvingTables(_ values: [LocatedValue]) throws(ConfigurationError) -> [LocatedValue] {
        var resolvedValues: [LocatedValue] = []
        for value in values {
            var resolved = value
            switch value.value {
            case .string(let text):
                if let reference = PostfixTableReference(parsing: text) {
                    resolved.value = .table(try loadTable(reference, at: value.location))
                }
            case .array(let elements):
                resolved.value = .array(try resolvingTables(elements))
            case .integer, .float, .bool, .nilValue, .regex, .symbol, .hash, .object, .table:
                break
            }
            resolvedValues.append(resolved)
        }
        return resolvedValues
    }

    /// Reads the Lua script `name` for a condition, checks it when a checker was given, and
    /// records its problems at the script's lines.
    mutating func loadScript(_ name: String, at: Provenance, here: SourceLocation) throws(ConfigurationError)
        -> ConditionScript
    {
        let path = resolveDataFile(name)
        let bytes: [UInt8]
        do {
            bytes = try root.readBytes(path, limit: ConditionScript.sizeLimit)
        } catch {
            throw ConfigurationError(Self.readFailure(path, error, root: root), at: here)
        }
        guard !bytes.contains(0) else {
            throw ConfigurationError(.unreadableFile(path, reason: "it holds binary data (a NUL byte)"), at: here)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        for problem in scriptChecker?.problems(in: text, file: path) ?? [] {
            errors.append(
                ConfigurationError(.invalidScript(problem.message), at: SourceLocation(file: path, line: problem.line)))
        }
        return ConditionScript(path: name, resolvedPath: path, source: text, definedAt: at)
    }
}
