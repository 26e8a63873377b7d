import Configuration
import Foundation
import MilterProtocol
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Paths of the fixtures, found from this file.
enum TestFiles {
    /// The package directory.
    static let packageDirectory: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<path.lastIndex(of: "/")!]) }
        return path
    }()

    /// `Tests/Fixtures/config/<name>`: a small root with configuration files.
    static func configRoot(_ name: String) -> String { packageDirectory + "/Tests/Fixtures/config/" + name }

    /// A fresh empty directory under /tmp.
    static func temporaryDirectory(_ label: String) -> String {
        var template = Array("/tmp/mm-\(label)-XXXXXX".utf8CString)
        guard mkdtemp(&template) != nil else { fatalError("mkdtemp failed") }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes a directory made by `temporaryDirectory` and everything in it.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `path`, creating parent directories.
    static func write(_ text: String, to path: String) {
        var directory = ""
        for component in path.split(separator: "/").dropLast() {
            directory += "/" + component
            mkdir(directory, 0o755)
        }
        let file = fopen(path, "w")!
        fputs(text, file)
        fclose(file)
    }

    /// The text of `path`, nil when missing.
    static func read(_ path: String) -> String? {
        try? RootDirectory("/").readText(path)
    }
}

/// A detector that returns a fixed report, for `load_default` without a file system.
struct FixedDetector: MilterDetecting {
    var report: DetectionReport

    func detect(platform: Platform?) -> DetectionReport {
        var report = report
        report.platform = platform ?? report.platform
        return report
    }

    /// milter-greylist (systemd, tarpit 125 s) and clamav-milter as on a Debian host, plus a
    /// disabled spamass-milter without a socket.
    static let debian = FixedDetector(
        report: DetectionReport(
            platform: .debian,
            milters: [
                DetectedMilter(
                    name: "milter-greylist", enabled: true,
                    connectionSpec: .unix(path: "/run/milter-greylist/milter-greylist.sock"),
                    description: "Greylisting milter", command: "/usr/bin/systemctl",
                    commandOptions: "start milter-greylist",
                    applicableConditions: [
                        "Sendmail Compatible", "Stress Notify", "Trust", "Remote Network", "S25R", "Unauthenticated",
                    ],
                    source: SourceLocation(file: "/etc/milter-greylist/greylist.conf", line: 5),
                    connectionSpecText: "unix:/run/milter-greylist/milter-greylist.sock", tarpitSeconds: 125),
                DetectedMilter(
                    name: "clamav-milter", enabled: true,
                    connectionSpec: .unix(path: "/var/run/clamav/clamav-milter.ctl"),
                    description: "ClamAV virus milter", command: "/usr/bin/systemctl",
                    commandOptions: "start clamav-milter", applicableConditions: [],
                    source: SourceLocation(file: "/etc/clamav/clamav-milter.conf", line: 12),
                    connectionSpecText: "local:/var/run/clamav/clamav-milter.ctl"),
                DetectedMilter(
                    name: "spamass-milter", enabled: false, connectionSpec: nil, command: "/etc/init.d/spamass-milter",
                    commandOptions: "start", applicableConditions: ["Remote Network", "Unauthenticated", "No Stress"]),
            ],
            diagnostics: [
                Diagnostic(
                    location: SourceLocation(file: "/etc/init.d/spamass-milter", line: 0), severity: .warning,
                    message: "spamass-milter is enabled but no connection spec was found")
            ]))
}

extension ConfigurationLoader {
    /// A loader on an empty root for `platform`, with `detector`.
    static func inMemory(platform: Platform = .debian, detector: (any MilterDetecting)? = nil) -> ConfigurationLoader {
        ConfigurationLoader(root: "/nonexistent-root", platform: platform, detector: detector)
    }
}
