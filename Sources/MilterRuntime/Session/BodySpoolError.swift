#if canImport(Glibc)
    import Glibc
#endif

/// Why a body could not be kept in its spool file.
enum BodySpoolError: Error, Equatable, CustomStringConvertible {
    /// The temporary file could not be created in `directory`.
    case create(directory: String, errno: CInt)
    /// Writing to it failed (a full disk: ENOSPC).
    case write(directory: String, errno: CInt)
    /// Reading it back failed.
    case read(directory: String, errno: CInt)

    var description: String {
        switch self {
        case .create(let directory, let code):
            return "cannot create a body spool file in \(directory): \(String(cString: strerror(code))) "
                + "(check manager.body_spool_directory)"
        case .write(let directory, let code):
            return "cannot write the body spool file in \(directory): \(String(cString: strerror(code)))"
        case .read(let directory, let code):
            return "cannot read the body spool file in \(directory): \(String(cString: strerror(code)))"
        }
    }
}
