import Configuration

/// RedHat SysV init: `/etc/init.d/<name>` (or `/etc/rc.d/init.d`), its chkconfig header,
/// variables from the script and then `/etc/sysconfig/<name>`, and the rc links chkconfig
/// makes. Enabled means started in a multi-user runlevel: an `S` link in rc2.d-rc5.d
/// (`chkconfig NAME on`, or a header listing those runlevels). The original counted any link,
/// so a script registered with `chkconfig: -` (K links only) or turned `off` was enabled.
struct RedHatSysVProbe: ServiceProbe {
    let layout: ServiceLayout
    let fileSystem: RootFileSystem
    let files: ConfigFileStore

    func inspect(_ candidate: MilterCandidate) -> [ServiceDefinition] {
        let name = candidate.name
        guard
            let script = layout.serviceDirectories.map({ $0 + "/" + name }).first(where: fileSystem.isFile),
            let text = fileSystem.readFile(script)
        else { return [] }
        var context = ServiceContext(definitionFile: script)
        context.header = InitScriptHeader(parsing: text, skippingInterpreter: false)
        let assignments = VariableAssignments(uppercaseOnly: false, extraLookup: { $0 == "name" ? name : nil })
        assignments.apply(script: text, file: script, to: &context.variables)
        if let directory = layout.variablesDirectory,
            let file = files.shellVariables(directory + "/" + name)
        {
            assignments.apply(file: file, to: &context.variables)
        }
        return [
            ServiceDefinition(
                name: name, context: context, description: context.header?.tags["description"], command: script,
                commandOptions: ["start"], enabledBySystem: startsInMultiUser(name), requiresSpec: true)
        ]
    }

    /// Whether `/etc/rc[2-5].d/S<NN><name>` (or under `/etc/rc.d`) exists.
    private func startsInMultiUser(_ name: String) -> Bool {
        for base in ["/etc", "/etc/rc.d"] {
            for level in 2...5 {
                let entries = fileSystem.list("\(base)/rc\(level).d")
                if entries.contains(where: { RCLinkName(name: $0).map { $0.service == name && $0.starts } ?? false }) {
                    return true
                }
            }
        }
        return false
    }
}
