import Configuration

/// systemd: the unit `<name>.service` from `/etc/systemd/system` (an administrator's copy
/// overrides the vendor unit; a link to /dev/null masks it) or the vendor directory, its
/// drop-ins (`<unit>.d/*.conf`, in file-name order, `/etc` winning over vendor ones of the
/// same name), and variables from `/etc/default/<name>` or `/etc/sysconfig/<name>`, then
/// `Environment=` and every `EnvironmentFile=`. Enabled means a `*.wants/<unit>` link in
/// `/etc/systemd/system` and not masked.
struct SystemdProbe: ServiceProbe {
    let layout: ServiceLayout
    let fileSystem: RootFileSystem
    let files: ConfigFileStore

    private static let adminDirectory = "/etc/systemd/system"

    func inspect(_ candidate: MilterCandidate) -> [ServiceDefinition] {
        let name = candidate.name
        let unitName = name + ".service"
        let adminUnit = Self.adminDirectory + "/" + unitName
        let masked = fileSystem.readLinkTarget(adminUnit) == "/dev/null"
        let vendorUnit = layout.serviceDirectories.map { $0 + "/" + unitName }.first(where: fileSystem.isFile)
        let unitFile = !masked && fileSystem.isFile(adminUnit) ? adminUnit : vendorUnit
        guard let unitFile, let text = fileSystem.readFile(unitFile) else { return [] }

        var unit = SystemdUnit()
        unit.apply(text, file: unitFile)
        for dropIn in dropIns(for: unitName) {
            if let dropInText = fileSystem.readFile(dropIn) { unit.apply(dropInText, file: dropIn) }
        }

        var context = ServiceContext(definitionFile: unitFile)
        let assignments = VariableAssignments(uppercaseOnly: true)
        if let directory = layout.variablesDirectory,
            let file = files.shellVariables(directory + "/" + name)
        {
            assignments.apply(file: file, to: &context.variables)
        }
        for assignment in unit.environment {
            guard let equals = assignment.value.firstIndex(of: "=") else { continue }
            let key = String(assignment.value[..<equals])
            let raw = String(assignment.value[assignment.value.index(after: equals)...])
            assignments.assign(key, raw: raw, at: assignment.location, to: &context.variables)
        }
        for path in unit.environmentFiles {
            if let file = files.shellVariables(path) {
                assignments.apply(file: file, to: &context.variables)
            }
        }
        context.commandLine = unit.commandLine
        context.expandsCommandLine = true

        let (command, options) = ServiceCommand(fileSystem: fileSystem)
            .command(for: name, fallback: ("/usr/bin/systemctl", ["start", name]))
        return [
            ServiceDefinition(
                name: name, context: context, description: unit.description, command: command,
                commandOptions: options, enabledBySystem: isWanted(unitName), requiresSpec: true, masked: masked)
        ]
    }

    /// Drop-in files of `unitName`, in the order systemd applies them.
    private func dropIns(for unitName: String) -> [String] {
        var byName: [String: String] = [:]
        for directory in layout.serviceDirectories.reversed() + [Self.adminDirectory] {
            let dropInDirectory = directory + "/" + unitName + ".d"
            for entry in fileSystem.list(dropInDirectory) where entry.hasSuffix(".conf") {
                byName[entry] = dropInDirectory + "/" + entry
            }
        }
        return byName.keys.sorted().compactMap { byName[$0] }
    }

    /// Whether some `*.wants` directory of `/etc/systemd/system` links the unit.
    private func isWanted(_ unitName: String) -> Bool {
        fileSystem.list(Self.adminDirectory).contains { entry in
            entry.hasSuffix(".wants") && fileSystem.entryExists(Self.adminDirectory + "/" + entry + "/" + unitName)
        }
    }
}
