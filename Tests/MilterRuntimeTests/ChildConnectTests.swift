import Foundation
import MilterTestSupport
import NIOCore
import Testing

@testable import MilterRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The direct connect of unix children (`SessionDriver.connectedUnixSocket`): a connected
/// descriptor for a listening socket, nil (NIO's connect, which reports the failure) otherwise.
struct ChildConnectTests {
    @Test func aListeningUnixSocketIsConnectedAtOnce() throws {
        let directory = try TestPaths.makeTemporaryDirectory("child-connect")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("child.sock").path
        let address = try SocketAddress(unixDomainSocketPath: path)
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        #expect(address.withSockAddr { bind(listener, $0, socklen_t($1)) } == 0)
        #expect(listen(listener, 1) == 0)

        let descriptor = try #require(SessionDriver.connectedUnixSocket(address))
        defer { close(descriptor) }
        let accepted = accept(listener, nil, nil)
        #expect(accepted >= 0, "the listener has no connection to accept")
        close(accepted)
        #expect(fcntl(descriptor, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(descriptor, F_GETFD) & FD_CLOEXEC != 0)
    }

    @Test func aMissingOrNonSocketPathIsLeftToNIO() throws {
        let directory = try TestPaths.makeTemporaryDirectory("child-connect")
        defer { try? FileManager.default.removeItem(at: directory) }
        let missing = directory.appendingPathComponent("missing.sock").path
        #expect(SessionDriver.connectedUnixSocket(try SocketAddress(unixDomainSocketPath: missing)) == nil)
        let file = directory.appendingPathComponent("file.sock").path
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        #expect(SessionDriver.connectedUnixSocket(try SocketAddress(unixDomainSocketPath: file)) == nil)
    }

    @Test func aTCPAddressIsLeftToNIO() throws {
        #expect(SessionDriver.connectedUnixSocket(try SocketAddress(ipAddress: "127.0.0.1", port: 9)) == nil)
    }
}
