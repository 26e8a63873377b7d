import ConfigGen
import Detect
import Foundation
import MilterProtocol
import MilterSupport
import Testing

/// main.cf bytes (issue 9, class 5): the edit changes the milter lines only; every other line
/// keeps its bytes (NUL, Latin-1, C1 controls, CR) and its line end, or the file is refused
/// with the line, untouched. Real Augeas, in memory.
@Suite struct PostfixMainBytesTests {
    static let socket = "smtpd_milters = unix:/var/run/milter-manager/milter-manager.sock"
    static let added = [
        "milter_protocol = 6", "milter_default_action = accept",
        "milter_mail_macros = {auth_author} {auth_type} {auth_authen}",
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var original: [UInt8]
        var expected: [UInt8]
        var testDescription: String { name }
    }

    /// Text as UTF-8 and arrays of numbers as raw bytes, concatenated.
    static func bytes(_ parts: Any...) -> [UInt8] {
        parts.flatMap { part -> [UInt8] in
            if let text = part as? String { return Array(text.utf8) }
            if let numbers = part as? [Int] { return numbers.map { UInt8($0) } }
            guard let raw = part as? [UInt8] else { fatalError("not text or bytes: \(part)") }
            return raw
        }
    }

    static let cases: [Case] = [
        Case(
            name: "NUL byte in a comment",
            original: bytes("# a \0 NUL\nmyhostname = mx\nsmtpd_milters = unix:/old.sock\n"),
            expected: bytes("# a \0 NUL\nmyhostname = mx\n", socket, "\n", added.map { $0 + "\n" }.joined())),
        Case(
            name: "Latin-1 bytes in untouched lines",
            original: bytes("# caf", [0xE9], "\nrelayhost = [smtp.example.net]", [0xA0], "\n"),
            expected: bytes(
                "# caf", [0xE9], "\nrelayhost = [smtp.example.net]", [0xA0], "\n",
                added.map { $0 + "\n" }.joined(), socket, "\n")),
        Case(
            name: "CRLF line ends, a continuation line replaced",
            original: bytes(
                "# milters\r\nsmtpd_milters = unix:/old.sock,\r\n    inet:127.0.0.1:8891\r\nmyhostname = mx\r\n"),
            expected: bytes(
                "# milters\r\n", socket, "\r\nmyhostname = mx\r\n", added.map { $0 + "\r\n" }.joined())),
        Case(
            name: "C1 control, escape and DEL in comments",
            original: bytes("# \u{85} NEL \u{1B}[31m red \u{7F}\nmilter_protocol = 2\n"),
            expected: bytes(
                "# \u{85} NEL \u{1B}[31m red \u{7F}\nmilter_protocol = 6\n",
                added.dropFirst().map { $0 + "\n" }.joined(), socket, "\n")),
        Case(
            name: "no newline at the end: one is added before the new lines",
            original: bytes("myhostname = mx"),
            expected: bytes("myhostname = mx\n", added.map { $0 + "\n" }.joined(), socket, "\n")),
        Case(
            // Found by PostfixMainFuzz: a lone "\n" would have made the CR the line end, and the
            // continuation line would then end in "#", which Augeas refuses on the next run.
            name: "no newline at the end after a CR: CRLF is added, the CR stays in the line",
            original: bytes("myhostname = mx\n  other#\r"),
            expected: bytes("myhostname = mx\n  other#\r\r\n", added.map { $0 + "\n" }.joined(), socket, "\n")),
        Case(
            name: "already up to date: not one byte changes",
            original: bytes(
                "# \0 \u{FF}\r\n", added.map { $0 + "\r\n" }.joined(),
                socket.replacingOccurrences(of: "unix:", with: "local:"),
                "\r\n"),
            expected: bytes(
                "# \0 \u{FF}\r\n", added.map { $0 + "\r\n" }.joined(),
                socket.replacingOccurrences(of: "unix:", with: "local:"),
                "\r\n")),
    ]

    static func edit(_ bytes: [UInt8]) throws -> PostfixMainEditor.Edit {
        let settings = try PostfixSettings(
            connectionSpec: .unix(path: "/var/run/milter-manager/milter-manager.sock"),
            templates: ConfigGenFixtures.templates)
        let session = try AugeasSession(root: "/nonexistent", lensDirectory: nil)
        return try PostfixMainEditor.edit(bytes, settings: settings, session: session, path: "/etc/postfix/main.cf")
    }

    @Test(arguments: cases)
    func onlyTheMilterLinesChange(_ row: Case) throws {
        let edited = try Self.edit(row.original)
        #expect(
            edited.bytes == row.expected, "\(ControlCharacters.escaped(String(decoding: edited.bytes, as: UTF8.self)))")
        // Idempotent: the result is up to date.
        let again = try Self.edit(edited.bytes)
        #expect(again.bytes == edited.bytes)
        #expect(again.notes.isEmpty)
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var original: [UInt8]
        var line: Int
        var reason: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(
            name: "NUL in the value to replace", original: bytes("# ok\nmyhostname = mx\nsmtpd_milters = unix:/a\0b\n"),
            line: 3, reason: "a NUL byte"),
        Refusal(
            name: "Latin-1 in a continuation line of smtpd_milters",
            original: bytes("smtpd_milters = unix:/a,\n  unix:/caf", [0xE9], "\n"), line: 2,
            reason: "bytes that are not UTF-8"),
        Refusal(
            name: "a lone CR inside milter_protocol", original: bytes("milter_protocol = 6\r2\n"), line: 1,
            reason: "a control character"),
    ]

    @Test(arguments: refusals)
    func aMilterLineThatCannotBeEditedSafelyIsRefusedWithItsLine(_ row: Refusal) {
        #expect {
            _ = try Self.edit(row.original)
        } throws: { error in
            guard let error = error as? ConfigGenError,
                case .mainCfLineNotEditable(let path, let line, let reason) = error
            else { return false }
            return path == "/etc/postfix/main.cf" && line == row.line && reason.contains(row.reason)
                && error.lines.count == 1 && error.description.hasPrefix("/etc/postfix/main.cf:\(row.line): ")
        }
    }

    /// A main.cf Augeas cannot parse (a NUL in a parameter name line is sanitised, so the line
    /// number is still the file's).
    @Test func unparsableTextIsRefusedWithItsLine() {
        #expect {
            _ = try Self.edit(Self.bytes("# fine\n= no name\n"))
        } throws: { error in
            guard let error = error as? ConfigGenError, case .mainCfUnparsable(_, let line, _, _) = error else {
                return false
            }
            return line == 2
        }
    }
}
