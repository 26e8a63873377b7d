import Configuration
import FuzzDriver

/// libFuzzer entry for the milter-manager.conf language: the input is a configuration file's
/// bytes, lexed, parsed and run by `ConfigurationLoader.load(text:file:)` under a root that
/// does not exist (so that `load` statements read nothing on the host). Any trap, hang or unbounded
/// allocation is a finding, and so is a broken round trip: a configuration that loads without
/// an error must print (`--show-config`) to a text that loads without an error and prints the
/// same text again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigurationLanguage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let file = ConfigurationLoader.defaultConfigDirectory + "/" + ConfigurationLoader.fileName
    let loader = ConfigurationLoader(
        root: emptyRoot, loadPaths: [ConfigurationLoader.defaultConfigDirectory], platform: .debian, detector: nil)
    let result = loader.load(text: text, file: file)
    guard result.errors.isEmpty else { return 0 }
    let printed = ConfigurationPrinter.render(result.configuration)
    let reloaded = loader.load(text: printed, file: file)
    guard reloaded.errors.isEmpty else {
        fatalError(
            "printed configuration does not load: \(reloaded.errors)\n--- input\n\(text)\n--- printed\n\(printed)")
    }
    let printedAgain = ConfigurationPrinter.render(reloaded.configuration)
    guard printedAgain == printed else {
        fatalError(
            "printed configuration prints differently\n--- input\n\(text)\n--- first\n\(printed)\n--- second\n\(printedAgain)"
        )
    }
    return 0
}

/// The file-system root of every run: a directory that does not exist.
let emptyRoot = "/nonexistent/milter-manager-fuzz-root"

/// The program's entry point under SwiftPM.
@_cdecl("ConfigurationFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzConfigurationLanguage(data, size) }
}
