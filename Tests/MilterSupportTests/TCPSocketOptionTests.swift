import Foundation
import MilterSupport
import Testing

/// `TCPSocketOption`'s names set and read back on a real TCP socket.
@Suite struct TCPSocketOptionTests {
    @Test(arguments: TCPSocketOption.allCases)
    func setsTheOptionOnATCPSocket(_ option: TCPSocketOption) throws {
        #if os(Linux)
            let name = try #require(option.name)
        #else
            guard let name = option.name else { return }
        #endif
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var on: Int32 = 1
        #expect(setsockopt(socket, option.level, name, &on, socklen_t(MemoryLayout<Int32>.size)) == 0)
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        #expect(getsockopt(socket, option.level, name, &value, &length) == 0)
        #expect(value == 1)
    }

    @Test func namesArePlatformConstants() {
        #expect(TCPSocketOption.noDelay.name == Int32(TCP_NODELAY))
        #expect(TCPSocketOption.noDelay.level == Int32(IPPROTO_TCP))
        #if os(Linux)
            #expect(TCPSocketOption.quickAck.name == Int32(TCP_QUICKACK))
        #endif
    }
}
