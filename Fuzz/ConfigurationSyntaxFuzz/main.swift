@testable import Configuration
import FuzzDriver

/// libFuzzer entry for the milter-manager.conf lexer and parser alone (no evaluation), so that
/// the syntax layer gets millions of runs where `ConfigurationFuzz`, which also evaluates and
/// prints every input, gets hundreds per second. Findings: a trap, a hang, unbounded memory; and
/// an error placed outside the text (a line past its last line) or parsing that differs between
/// two runs of the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigurationSyntax(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let first = Parser.parse(text, file: "fuzz.conf")
    let lineCount = text.utf8.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    for error in first.errors where error.location.line > lineCount {
        fatalError("error at line \(error.location.line) of a \(lineCount)-line text: \(error)")
    }
    let second = Parser.parse(text, file: "fuzz.conf")
    guard second.errors.map(\.description) == first.errors.map(\.description),
        second.statements.count == first.statements.count
    else {
        fatalError("two parses of the same text differ")
    }
    return 0
}

/// The program's entry point under SwiftPM.
@_cdecl("ConfigurationSyntaxFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzConfigurationSyntax(data, size) }
}
