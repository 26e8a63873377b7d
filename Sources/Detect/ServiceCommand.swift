/// The command rule shared by the systemd and upstart readers: `systemctl start NAME` when
/// systemctl exists, else `service NAME start`.
struct ServiceCommand {
    let fileSystem: RootFileSystem

    /// The command and options that start `name`; `fallback` when neither tool exists.
    func command(for name: String, fallback: (String, [String])) -> (String, [String]) {
        if fileSystem.isExecutable("/usr/bin/systemctl") { return ("/usr/bin/systemctl", ["start", name]) }
        for service in ["/sbin/service", "/usr/sbin/service"] where fileSystem.isExecutable(service) {
            return (service, [name, "start"])
        }
        if fileSystem.isExecutable("/bin/systemctl") { return ("/bin/systemctl", ["start", name]) }
        return fallback
    }
}
