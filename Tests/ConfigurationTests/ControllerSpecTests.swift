import Configuration
import Testing

/// `controller.connection_spec` (issue 16): whoever reaches the control socket can reload the
/// daemon, so it is a unix socket or a TCP port on a loopback address, refused otherwise at
/// load with the file and line.
@Suite struct ControllerSpecTests {
    static let file = "/etc/milter-manager/milter-manager.conf"
    static let allowed =
        "unix:PATH, or a loopback address written in brackets: inet:PORT@[127.0.0.1] or inet6:PORT@[::1]"

    static let refused = [
        "inet:10026", "inet:10026@[0.0.0.0]", "inet:10026@[192.168.1.10]", "inet:10026@localhost",
        "inet:10026@mail.example.com", "inet6:10026", "inet6:10026@[::]", "inet6:10026@[::ffff:127.0.0.1]",
        "inet6:10026@[fe80::1]", "inet:10026@128.0.0.1",
    ]

    @Test(arguments: refused)
    func anAddressOthersCanReachIsRefusedWithFileAndLine(_ spec: String) {
        let text = "# the control socket\ncontroller.connection_spec = \"\(spec)\"\n"
        let result = ConfigurationLoader.inMemory().load(text: text, file: Self.file)
        #expect(
            result.errors.map(\.description) == [
                "\(Self.file):2: invalid value for controller.connection_spec: \"\(spec)\" (\(Self.allowed))"
            ])
        #expect(result.configuration.controller.connectionSpec.value == nil)
    }

    static let accepted = [
        "unix:/run/milter-manager/controller.sock", "local:/run/c.sock", "inet:10026@[127.0.0.1]",
        "inet:10026@127.0.0.1", "inet:10026@[127.1.2.3]", "inet6:10026@[::1]", "inet6:10026@[0:0:0:0:0:0:0:1]",
    ]

    @Test(arguments: accepted)
    func aUnixSocketOrALoopbackAddressIsTaken(_ spec: String) {
        let result = ConfigurationLoader.inMemory().load(
            text: "controller.connection_spec = \"\(spec)\"\n", file: Self.file)
        #expect(result.errors.isEmpty, "\(result.errors)")
        #expect(result.configuration.controller.connectionSpec.value?.text == spec)
        #expect(result.configuration.unhonouredSettings().isEmpty, "the control socket is served: no finding")
    }

    @Test func nilTurnsItOff() {
        let result = ConfigurationLoader.inMemory().load(
            text: "controller.connection_spec = \"unix:/run/c.sock\"\ncontroller.connection_spec = nil\n",
            file: Self.file)
        #expect(result.errors.isEmpty)
        #expect(result.configuration.controller.connectionSpec.value == nil)
    }
}
