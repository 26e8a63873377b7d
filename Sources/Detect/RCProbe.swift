import Configuration

/// FreeBSD and pkgsrc rc.d: the script's `name` and variables, overridden by `/etc/rc.conf`,
/// `/etc/rc.conf.local` and `/etc/rc.conf.d/<name>` (`<name>_<var>=` lines; a later file
/// wins). Enabled when the rc variable is `YES`: `<name>_enable` on FreeBSD, `rcvar` (default
/// `<name>`) on pkgsrc. FreeBSD OpenDKIM `profiles` become one milter per profile.
struct RCProbe: ServiceProbe {
    let layout: ServiceLayout
    let fileSystem: RootFileSystem
    let files: ConfigFileStore

    func inspect(_ candidate: MilterCandidate) -> [ServiceDefinition] {
        guard
            let path = layout.serviceDirectories.map({ $0 + "/" + candidate.name }).first(where: fileSystem.isFile),
            let text = fileSystem.readFile(path)
        else { return [] }
        let script = RCScript(parsing: text, file: path)
        guard let rcName = script.name else { return [] }
        let prefix = rcName + "_"

        // rc.conf values by full name, and the service's own ones by suffix.
        var rcConf: [String: LocatedValue] = [:]
        var variables = script.variables
        var assignments = VariableAssignments(uppercaseOnly: false)
        assignments.extraLookup = { script.scriptVariables[$0]?.value }
        for rcPath in ["/etc/rc.conf", "/etc/rc.conf.local", "/etc/rc.conf.d/" + rcName] {
            guard let file = files.shellVariables(rcPath) else { continue }
            for assignment in file.assignments {
                assignments.assign(assignment, in: file.path, to: &rcConf)
                if assignment.name.hasPrefix(prefix), let value = rcConf[assignment.name], !value.value.isEmpty {
                    variables[String(assignment.name.dropFirst(prefix.count))] = value
                }
            }
        }

        var context = ServiceContext(definitionFile: path)
        context.variables = variables
        context.scriptVariables = script.scriptVariables
        context.commandLine = script.scriptVariables["command_args"]

        if candidate.application == .opendkim, layout.kind == .freebsdRC,
            let profiles = variables["profiles"]?.value.split(whereSeparator: { $0 == " " || $0 == "\t" }),
            !profiles.isEmpty
        {
            return profiles.map { profile in
                self.profile(String(profile), of: candidate, context: context, rcConf: rcConf, prefix: prefix)
            }
        }

        let enable: LocatedValue?
        switch layout.kind {
        case .pkgsrcRC:
            let rcvar = rcConf["rcvar"]?.value ?? script.scriptVariables["rcvar"]?.value ?? rcName
            enable =
                rcConf[rcvar]
                ?? (rcvar.hasPrefix(prefix) ? variables[String(rcvar.dropFirst(prefix.count))] : nil)
        case .freebsdRC, .systemd, .upstart, .redhatSysV, .debianSysV:
            enable = variables["enable"]
        }
        return [
            ServiceDefinition(
                name: candidate.name, context: context, description: nil, command: path, commandOptions: ["start"],
                enabledBySystem: Self.isYes(enable), requiresSpec: false)
        ]
    }

    /// One FreeBSD OpenDKIM profile: `<name>_<profile>_*` variables, the base `enable` and
    /// `socket` as fallbacks (the profile's own socket wins, unlike the original).
    private func profile(
        _ profile: String, of candidate: MilterCandidate, context base: ServiceContext,
        rcConf: [String: LocatedValue], prefix: String
    ) -> ServiceDefinition {
        let profilePrefix = prefix + profile + "_"
        var variables: [String: LocatedValue] = [:]
        for (key, value) in rcConf where key.hasPrefix(profilePrefix) && !value.value.isEmpty {
            variables[String(key.dropFirst(profilePrefix.count))] = value
        }
        let enable = variables["enable"] ?? base.variables["enable"]
        if variables["socket"] == nil { variables["socket"] = base.variables["socket"] }
        var context = base
        context.variables = variables
        return ServiceDefinition(
            name: candidate.name + "-" + profile, context: context, description: nil, command: base.definitionFile,
            commandOptions: ["start", profile], enabledBySystem: Self.isYes(enable), requiresSpec: false)
    }

    private static func isYes(_ value: LocatedValue?) -> Bool {
        value?.value.lowercased() == "yes"
    }
}
