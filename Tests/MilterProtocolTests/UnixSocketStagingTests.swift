import MilterProtocol
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The hidden name a unix socket is bound under before it is renamed into place.
@Suite struct UnixSocketStagingTests {
    @Test func hiddenNameInTheSameDirectory() {
        #expect(
            UnixSocketStaging.path(for: "/run/mm/milter-manager.sock") == "/run/mm/.milter-manager.sock.\(getpid())")
        #expect(UnixSocketStaging.path(for: "relative.sock") == ".relative.sock.\(getpid())")
    }

    @Test func noStagingWhenItWouldNotFitInSunPath() {
        let long = "/" + String(repeating: "d", count: 90) + "/milter.sock"
        #expect(long.utf8.count < 108)
        #expect(UnixSocketStaging.path(for: long) == nil)
    }
}
