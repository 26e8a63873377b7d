/// Assigns one key of a milter.
typealias MilterKeySetter =
    @Sendable (inout MilterDefinition, LocatedValue, Provenance) throws(ConfigurationErrorKind) -> Void

/// The assignable keys of `define_milter` blocks (detection.md 4.5), except
/// `applicable_conditions`, which the evaluator handles (it needs the defined conditions).
enum MilterKeys {
    /// Every assignable key's setter.
    static let setters: [String: MilterKeySetter] = [
        "connection_spec": { milter, value, at throws(ConfigurationErrorKind) in
            milter.connectionSpec.set(try value.optionalConnectionSpec(for: "milter.connection_spec"), at: at)
        },
        "description": { milter, value, at throws(ConfigurationErrorKind) in
            milter.description.set(try value.optionalString(for: "milter.description"), at: at)
        },
        "enabled": { milter, value, at throws(ConfigurationErrorKind) in
            milter.enabled.set(try value.bool(for: "milter.enabled"), at: at)
        },
        "fallback_status": { milter, value, at throws(ConfigurationErrorKind) in
            milter.fallbackStatus.set(try value.status(for: "milter.fallback_status"), at: at)
        },
        "evaluation_mode": { milter, value, at throws(ConfigurationErrorKind) in
            milter.evaluationMode.set(try value.bool(for: "milter.evaluation_mode"), at: at)
        },
        "command": { milter, value, at throws(ConfigurationErrorKind) in
            milter.command.set(try value.optionalString(for: "milter.command"), at: at)
        },
        "command_options": { milter, value, at throws(ConfigurationErrorKind) in
            let key = "milter.command_options"
            switch value.value {
            case .array(let elements):
                var words: [String] = []
                for element in elements { words.append(try element.string(for: key)) }
                milter.commandOptions.set(words.map(shellEscape).joined(separator: " "), at: at)
            default:
                milter.commandOptions.set(try value.optionalString(for: key), at: at)
            }
        },
        "user_name": { milter, value, at throws(ConfigurationErrorKind) in
            milter.userName.set(try value.optionalString(for: "milter.user_name"), at: at)
        },
        "connection_timeout": { milter, value, at throws(ConfigurationErrorKind) in
            milter.connectionTimeout.set(try timeout(value, "milter.connection_timeout"), at: at)
        },
        "writing_timeout": { milter, value, at throws(ConfigurationErrorKind) in
            milter.writingTimeout.set(try timeout(value, "milter.writing_timeout"), at: at)
        },
        "reading_timeout": { milter, value, at throws(ConfigurationErrorKind) in
            milter.readingTimeout.set(try timeout(value, "milter.reading_timeout"), at: at)
        },
        "end_of_message_timeout": { milter, value, at throws(ConfigurationErrorKind) in
            milter.endOfMessageTimeout.set(try timeout(value, "milter.end_of_message_timeout"), at: at)
        },
    ]

    /// Keys that can be read but not assigned.
    static let readOnly: Set<String> = ["name"]

    /// Every key name, for suggestions.
    static let allKeys: [String] = Array(setters.keys) + ["applicable_conditions"]

    private static func timeout(_ value: LocatedValue, _ key: String) throws(ConfigurationErrorKind) -> Double {
        let seconds = try value.number(for: key)
        let range = NumericLimits.timeoutSeconds
        guard range.contains(seconds) else {
            throw .invalidValue(
                key: key, value: RubyLiteral.float(seconds),
                allowed:
                    "must be \(RubyLiteral.float(range.lowerBound))..\(RubyLiteral.float(range.upperBound)) seconds")
        }
        return seconds
    }

    /// Ruby's `Shellwords.escape`: a word safe to paste into a shell command line.
    static func shellEscape(_ word: String) -> String {
        if word.isEmpty { return "''" }
        var result = ""
        for character in word {
            if character == "\n" {
                result += "'\n'"
            } else if character.isASCII && (character.isLetter || character.isNumber || "_-.,:+/@".contains(character))
            {
                result.append(character)
            } else {
                result += "\\" + String(character)
            }
        }
        return result
    }
}
