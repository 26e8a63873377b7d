import Configuration

/// upstart: the job `/etc/event.d/<name>` (the original's place) or `/etc/init/<name>.conf`
/// (upstart 0.6 and later). Its top `# ` comment lines are the description, a `start on`
/// line enables it, the last `exec` line is its command line.
struct UpstartProbe: ServiceProbe {
    let layout: ServiceLayout
    let fileSystem: RootFileSystem

    func inspect(_ candidate: MilterCandidate) -> [ServiceDefinition] {
        let name = candidate.name
        let paths = layout.serviceDirectories.map { $0 == "/etc/init" ? "/etc/init/\(name).conf" : "\($0)/\(name)" }
        guard let job = paths.first(where: fileSystem.isFile), let text = fileSystem.readFile(job) else { return [] }
        let lines = text.lines()
        let descriptionLines = lines.prefix { $0.hasPrefix("# ") && !$0.dropFirst(2).trimmingBlanks().isEmpty }
        let description = descriptionLines.map { $0.dropFirst(2).trimmingBlanks() }.joined(separator: " ")
        var startsOn = false
        var context = ServiceContext(definitionFile: job)
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingLeadingBlanks()
            if trimmed.hasPrefix("start on ") { startsOn = true }
            if trimmed.hasPrefix("exec ") {
                context.commandLine = LocatedValue(
                    value: String(trimmed.dropFirst(5)).trimmingBlanks(),
                    location: SourceLocation(file: job, line: index + 1))
            }
        }
        return [
            ServiceDefinition(
                name: name, context: context, description: description.isEmpty ? nil : description,
                command: "/sbin/start", commandOptions: [name], enabledBySystem: startsOn, requiresSpec: true)
        ]
    }
}
