import ConfigGen
import Configuration
import Detect
import FuzzDriver
import MilterProtocol
import MilterSupport

/// libFuzzer entry for `postfix --apply`'s main.cf editor: the input is a main.cf's bytes,
/// edited in memory by the real Augeas `Postfix_Main` lens and spliced back
/// (`PostfixMainEditor.edit`). A refusal is fine; an accepted edit must keep every line that is
/// not a milter parameter byte for byte and in order (only a missing final newline may be
/// added), add or change nothing but milter parameters, and be idempotent: editing the result
/// changes nothing and has nothing to say. Any trap, hang or broken property is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPostfixMainEditor(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let original = Array(UnsafeBufferPointer(start: data, count: size))
    let path = PostfixMainCf.path
    guard let edit = try? PostfixMainEditor.edit(original, settings: settings, session: session, path: path) else {
        return 0
    }
    checkOnlyMilterLinesChanged(original, edit.bytes)
    guard let again = try? PostfixMainEditor.edit(edit.bytes, settings: settings, session: session, path: path) else {
        fatalError("the edited main.cf is refused: \(escaped(edit.bytes))")
    }
    guard again.bytes == edit.bytes, again.notes.isEmpty else {
        fatalError("a second edit changes the file again:\n\(escaped(edit.bytes))\n---\n\(escaped(again.bytes))")
    }
    return 0
}

/// The lines of `original` that are neither a milter parameter nor a continuation line must be
/// in `edited`, in order, byte for byte; every other line of `edited` must be one of those.
func checkOnlyMilterLinesChanged(_ original: [UInt8], _ edited: [UInt8]) {
    let names = settings.parameters.map { Array($0.name.utf8) }
    func isMilterLine(_ line: ArraySlice<UInt8>) -> Bool {
        if let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { return true }
        return names.contains { line.starts(with: $0) }
    }
    let oldLines = original.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let newLines = edited.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    let lastIsOpen = original.last != UInt8(ascii: "\n")
    var next = newLines.startIndex
    for (index, line) in oldLines.enumerated() where !isMilterLine(line) {
        let mayGainCR = lastIsOpen && index == oldLines.count - 1
        while next < newLines.endIndex && newLines[next] != line
            && !(mayGainCR && Array(newLines[next]) == Array(line) + [UInt8(ascii: "\r")])
        {
            guard isMilterLine(newLines[next]) else {
                fatalError("line changed or added: \(escaped(Array(newLines[next])))\nin\n\(escaped(edited))")
            }
            next += 1
        }
        guard next < newLines.endIndex else {
            fatalError("line \(index + 1) lost: \(escaped(Array(line)))\nin\n\(escaped(edited))")
        }
        next += 1
    }
    for line in newLines[next...] where !isMilterLine(line) && !line.isEmpty {
        fatalError("line added: \(escaped(Array(line)))\nin\n\(escaped(edited))")
    }
}

/// Bytes as one readable line.
func escaped(_ bytes: [UInt8]) -> String {
    ControlCharacters.escaped(String(decoding: bytes, as: UTF8.self))
}

/// The lines `postfix --apply` sets, from the checkout's templates (the fuzzer runs at the
/// repository's top).
let settings: PostfixSettings = {
    do {
        return try PostfixSettings(
            connectionSpec: .unix(path: "/run/milter-manager/milter-manager.sock"),
            templates: TemplateSet(directory: RootDirectory(".").path + "/templates"))
    } catch {
        fatalError("templates/ not found: run from the repository's top (\(error))")
    }
}()

/// One Augeas handle for every run, as the editor uses it in memory (no file is read);
/// libFuzzer calls the entry point from one thread only.
nonisolated(unsafe) let session: AugeasSession = {
    do {
        return try AugeasSession(root: "/nonexistent/milter-manager-fuzz-root", lensDirectory: nil)
    } catch {
        fatalError("Augeas: \(error)")
    }
}()

/// The program's entry point under SwiftPM.
@_cdecl("PostfixMainFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzPostfixMainEditor(data, size) }
}
