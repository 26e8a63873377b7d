import Configuration
import MilterProtocol
import MilterSupport

/// Detects one candidate milter: asks each service manager of the platform in order, finds
/// the socket each one points at, and keeps the first that has the milter enabled (or a
/// masked systemd unit), else what the last one (SysV init, rc.d) says.
struct CandidateEvaluator {
    let profile: PlatformProfile
    let fileSystem: RootFileSystem
    let files: ConfigFileStore

    /// One service definition with its socket found.
    private struct Evaluation {
        var definition: ServiceDefinition
        var spec: LocatedValue?
        var enabled: Bool
        var tarpit: Double?
    }

    /// The milters found for `candidate` (none, one, or one per FreeBSD OpenDKIM profile).
    ///
    /// Beyond the original: when the root tells which init it boots (`/sbin/init`), a systemd
    /// unit decides alone under systemd (an init script of the same name is never run), and
    /// units are not consulted under another init.
    func evaluate(_ candidate: MilterCandidate, diagnostics: inout [Diagnostic]) -> [DetectedMilter] {
        var chosen: [Evaluation] = []
        let bootInit = InitSystem(fileSystem: fileSystem)
        for (index, layout) in profile.serviceManagers.enumerated() {
            if layout.kind == .systemd, bootInit == .other { continue }
            let evaluations = probe(for: layout).inspect(candidate).map {
                evaluate($0, of: candidate, in: layout, diagnostics: &diagnostics)
            }
            let isLast = index == profile.serviceManagers.count - 1
            let unitDecides = layout.kind == .systemd && bootInit == .systemd && !evaluations.isEmpty
            if evaluations.contains(where: { $0.enabled || $0.definition.masked }) || isLast || unitDecides {
                chosen = evaluations
                break
            }
        }
        return chosen.map { milter(from: $0, candidate: candidate, diagnostics: &diagnostics) }
    }

    private func noSpecWarning(_ definition: ServiceDefinition) -> Diagnostic {
        Diagnostic(
            location: SourceLocation(file: definition.context.definitionFile, line: 0), severity: .warning,
            message: "\(definition.name) is enabled but no connection spec was found")
    }

    private func probe(for layout: ServiceLayout) -> any ServiceProbe {
        switch layout.kind {
        case .systemd: return SystemdProbe(layout: layout, fileSystem: fileSystem, files: files)
        case .upstart: return UpstartProbe(layout: layout, fileSystem: fileSystem)
        case .redhatSysV: return RedHatSysVProbe(layout: layout, fileSystem: fileSystem, files: files)
        case .debianSysV: return DebianSysVProbe(layout: layout, fileSystem: fileSystem, files: files)
        case .freebsdRC, .pkgsrcRC: return RCProbe(layout: layout, fileSystem: fileSystem, files: files)
        }
    }

    private func evaluate(
        _ definition: ServiceDefinition, of candidate: MilterCandidate, in layout: ServiceLayout,
        diagnostics: inout [Diagnostic]
    ) -> Evaluation {
        let context = definition.context
        let reader = ApplicationConfigReader(files: files)
        let configPath = layout.configPaths[candidate.application].flatMap {
            context.firstValue(of: $0, diagnostics: &diagnostics)?.value
        }
        var clamavBlocks = false
        var applicationSpec: LocatedValue?
        switch candidate.application {
        case .greylist:
            applicationSpec = configPath.flatMap { reader.greylistSocket($0, diagnostics: &diagnostics) }
        case .clamav:
            if isModernClamav(context, layout: layout), let configPath {
                let settings = reader.clamav(configPath, diagnostics: &diagnostics)
                applicationSpec = settings.socket
                if layout.exampleDisables, let example = settings.example {
                    clamavBlocks = true
                    if definition.enabledBySystem {
                        diagnostics.append(
                            Diagnostic(
                                location: example, severity: .warning,
                                message: "clamav-milter.conf is an unedited sample (its `Example` line is still "
                                    + "there); \(definition.name) counts as disabled"))
                    }
                }
            }
        case .opendkim, .opendmarc, .pyspf:
            applicationSpec = configPath.flatMap { reader.socketSetting($0, diagnostics: &diagnostics) }
        case .enma:
            applicationSpec = configPath.flatMap { reader.enmaSocket($0, diagnostics: &diagnostics) }
        case .rspamd:
            applicationSpec = RspamdProxyReader(fileSystem: fileSystem).socket(
                configurationDirectory: profile.rspamdDirectory)
        case .generic:
            applicationSpec = nil
        }
        var spec: LocatedValue?
        let sources =
            layout.specSources(for: candidate.application) + candidate.socketVariables.map(ValueSource.variable)
        for source in sources {
            spec = source == .application ? applicationSpec : context.value(of: source, diagnostics: &diagnostics)
            // A value that still holds a shell expansion detection cannot evaluate (Debian's
            // clamav-milter script: `SOCKET="${SOCKET_TYPE}:${SOCKET_PATH}"`) is not the socket
            // the daemon gets: skip it silently rather than report it as invalid.
            if let found = spec, ShellValue.hasUnexpandedReference(found.value) { spec = nil }
            if let found = spec,
                found.value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            {
                diagnostics.append(
                    Diagnostic(
                        location: found.location, severity: .warning,
                        message: "the socket found here spans several lines or holds control characters "
                            + "(a quote closed too late?); it is ignored"))
                spec = nil
            }
            if spec != nil { break }
        }
        let enabled =
            definition.enabledBySystem && (!definition.requiresSpec || spec != nil) && !clamavBlocks
            && !definition.masked
        let tarpit = candidate.application == .greylist ? configPath.flatMap { reader.greylistTarpit($0) } : nil
        return Evaluation(definition: definition, spec: spec, enabled: enabled, tarpit: tarpit)
    }

    private func isModernClamav(_ context: ServiceContext, layout: ServiceLayout) -> Bool {
        switch layout.clamavModernTest {
        case .always: return true
        case .variableAbsent(let name): return context.variables[name] == nil
        case .debianConfigVariables:
            return context.variables["CLAMAVCONF"]?.value.contains("clamav-milter") == true
                || context.variables["CLAMAVMILTERCONF"] != nil
        }
    }

    private func milter(
        from evaluation: Evaluation, candidate: MilterCandidate, diagnostics: inout [Diagnostic]
    ) -> DetectedMilter {
        let definition = evaluation.definition
        var milter = DetectedMilter(
            name: definition.name, enabled: evaluation.enabled, connectionSpec: nil,
            description: definition.description, command: definition.command,
            commandOptions: ShellQuoting.join(definition.commandOptions),
            applicableConditions: candidate.applicableConditions)
        milter.tarpitSeconds = evaluation.tarpit
        guard let found = evaluation.spec else {
            // Where a socket is what makes a service a milter (RedHat, systemd, upstart: an
            // amavisd without MILTER_SOCKET), the milter is simply disabled; elsewhere it
            // would be registered enabled and fail at every session: say so.
            if definition.enabledBySystem && !definition.masked && !definition.requiresSpec {
                diagnostics.append(noSpecWarning(definition))
            }
            return milter
        }
        do {
            let (text, spec) = try ConnectionSpecText.parse(found.value)
            milter.connectionSpec = spec
            milter.connectionSpecText = text
            milter.source = found.location
        } catch {
            milter.enabled = false
            diagnostics.append(
                Diagnostic(
                    location: found.location, severity: .warning,
                    message: "invalid connection spec for \(definition.name): \(error); registered as disabled"))
        }
        return milter
    }
}
