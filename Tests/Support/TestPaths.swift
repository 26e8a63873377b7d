import Foundation

/// Paths of the checkout and of per-test scratch directories.
public enum TestPaths {
    /// The package root (the directory holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// `Tests/Fixtures` in the checkout.
    public static var fixtures: URL { packageRoot.appendingPathComponent("Tests/Fixtures") }

    /// A fresh directory under /tmp (short, so unix socket paths fit in `sun_path`).
    public static func makeTemporaryDirectory(_ label: String) throws -> URL {
        let template = "/tmp/mm-\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard mkdtemp(&bytes) != nil else {
            throw TestSupportError("mkdtemp failed for \(template): errno \(errno)")
        }
        let path = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        chmod(path, 0o755)
        return URL(fileURLWithPath: path)
    }

    /// The directory holding the built products (executables) of this build.
    public static var productsDirectory: URL {
        // The test bundle lives in the products directory (.build/<triple>/debug/).
        let bundle = Bundle.main.bundleURL
        if FileManager.default.fileExists(atPath: bundle.appendingPathComponent("milter-test-server").path) {
            return bundle
        }
        return bundle.deletingLastPathComponent()
    }

    /// A built executable of this package, e.g. `milter-test-server`.
    public static func product(_ name: String) throws -> URL {
        for directory in [productsDirectory, Bundle.main.bundleURL] {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestSupportError(
            "\(name) is not built next to the tests (\(productsDirectory.path)); run `swift build` first")
    }
}

/// A failure of the test set-up itself (a missing tool, a peer that did not start).
public struct TestSupportError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    /// An error with a message.
    public init(_ description: String) { self.description = description }
}
