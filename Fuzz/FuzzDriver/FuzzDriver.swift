/// libFuzzer's driver for the fuzz targets under Fuzz/: SwiftPM names an executable's entry
/// `<target>_main`, so each target's entry point hands its arguments and its one-input
/// function over to libFuzzer here.
public enum FuzzDriver {
    /// Runs libFuzzer with the program's arguments and `callback` as `LLVMFuzzerTestOneInput`.
    public static func run(
        _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
}

/// libFuzzer's own driver (linked in by `-sanitize=fuzzer`).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt
