import Configuration

/// Debian SysV init: `/etc/init.d/<name>`, its LSB header, upper-case variables from the
/// script and then `/etc/default/<name>`. Enabled unless `ENABLED=0`; beyond the original, a
/// script whose rc links exist but are all `K` links in runlevels 2-5 (`update-rc.d NAME
/// disable`) counts as disabled too.
struct DebianSysVProbe: ServiceProbe {
    let layout: ServiceLayout
    let fileSystem: RootFileSystem
    let files: ConfigFileStore

    func inspect(_ candidate: MilterCandidate) -> [ServiceDefinition] {
        let script = "/etc/init.d/" + candidate.name
        guard fileSystem.isFile(script), let text = fileSystem.readFile(script) else { return [] }
        var context = ServiceContext(definitionFile: script)
        let header = InitScriptHeader(parsing: text, skippingInterpreter: true)
        context.header = header
        let provides = header.lsb["Provides"]?.split(separator: " ").first.map(String.init)
        // Only upper-case variables are the service's (the original's rule), but lower-case
        // ones the script sets (`prog=mimedefang`) still expand in their values.
        var scriptVariables: [String: LocatedValue] = [:]
        VariableAssignments(uppercaseOnly: false).apply(script: text, file: script, to: &scriptVariables)
        let lowercaseLookup: (String) -> String? = { name in
            name.contains(where: \.isLowercase) ? scriptVariables[name]?.value : nil
        }
        var assignments = VariableAssignments(uppercaseOnly: true, extraLookup: lowercaseLookup)
        assignments.apply(script: text, file: script, to: &context.variables)
        let serviceName = context.variables["NAME"]?.value ?? provides ?? candidate.name
        assignments.extraLookup = { $0 == "name" ? serviceName : lowercaseLookup($0) }
        if let directory = layout.variablesDirectory,
            let file = files.shellVariables(directory + "/" + candidate.name)
        {
            assignments.apply(file: file, to: &context.variables)
        }
        let enabled = context.variables["ENABLED"]?.value != "0" && !disabledByLinks(candidate.name)
        return [
            ServiceDefinition(
                name: candidate.name, context: context,
                description: header.lsb["Description"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? context.variables["DESC"]?.value,
                command: script,
                commandOptions: ["start"], enabledBySystem: enabled, requiresSpec: false)
        ]
    }

    private func disabledByLinks(_ name: String) -> Bool {
        var links: [(level: Int, link: RCLinkName)] = []
        for level in 0...6 {
            for entry in fileSystem.list("/etc/rc\(level).d") {
                if let link = RCLinkName(name: entry), link.service == name { links.append((level, link)) }
            }
        }
        guard !links.isEmpty else { return false }
        return !links.contains { (2...5).contains($0.level) && $0.link.starts }
    }
}
