import FuzzDriver
import MilterProtocol
import NIOCore

/// libFuzzer entry: the input is a byte stream as a peer would send it. The first byte picks
/// the direction (even: MTA commands, odd: milter replies); the rest is decoded frame by frame
/// with a 64 KiB limit. Every decoded value must encode and decode back to itself; anything
/// else (a trap, a hang, an unbounded allocation, a round-trip mismatch) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMilterDecoders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    var buffer = ByteBuffer(bytes: bytes.dropFirst())
    if bytes[0] % 2 == 0 {
        var decoder = MilterCommandDecoder(maximumLength: 65536)
        while let command = try? decoder.decode(buffer: &buffer) {
            var encoded = ByteBuffer()
            command.encode(into: &encoded)
            var again = MilterCommandDecoder(maximumLength: Int.max)
            guard let decodedAgain = try? again.decode(buffer: &encoded), decodedAgain == command else {
                fatalError("command round trip failed: \(command)")
            }
        }
    } else {
        var decoder = MilterReplyDecoder(maximumLength: 65536)
        while let reply = try? decoder.decode(buffer: &buffer) {
            var encoded = ByteBuffer()
            reply.encode(into: &encoded)
            var again = MilterReplyDecoder(maximumLength: Int.max)
            guard let decodedAgain = try? again.decode(buffer: &encoded), decodedAgain == reply else {
                fatalError("reply round trip failed: \(reply)")
            }
        }
    }
    _ = try? ConnectionSpec(parsing: String(decoding: bytes, as: UTF8.self))
    return 0
}

/// The program's entry point under SwiftPM.
@_cdecl("MilterProtocolFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    FuzzDriver.run(argc, argv) { data, size in fuzzMilterDecoders(data, size) }
}
