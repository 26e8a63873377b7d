/// A data source of the report RRD files (`milter-manager.report.rrd`,
/// `milter.report.NAME.rrd`): what the milters said about a mail through the headers they added.
/// The first thirteen are the original's, in its order; the DMARC pair is ours.
public enum ReportSource: String, CaseIterable, Hashable, Sendable {
    /// `X-Spam-Flag: YES` (SpamAssassin) or `X-Spam: yes` (rspamd).
    case spam
    /// `X-Virus-Status: Infected ...` (clamav-milter).
    case virus
    /// An `URIBL_*` test in `X-Spam-Status`.
    case uribl
    /// `X-Greylist: Delayed for ...` (milter-greylist let a greylisted sender through).
    case greylistingPass = "greylisting_pass"
    /// SPF pass (`Authentication-Results` or milter-greylist's `X-Greylist`).
    case spfPass = "spf_pass"
    /// SPF fail or hardfail.
    case spfFail = "spf_fail"
    /// Sender ID pass.
    case senderIDPass = "sender_id_pass"
    /// Sender ID fail.
    case senderIDFail = "sender_id_fail"
    /// DKIM pass.
    case dkimPass = "dkim_pass"
    /// DKIM fail, or neutral "(verification failed)".
    case dkimFail = "dkim_fail"
    /// DKIM ADSP pass.
    case dkimADSPPass = "dkim_adsp_pass"
    /// DKIM ADSP fail.
    case dkimADSPFail = "dkim_adsp_fail"
    /// `X-Greylist: Message whitelisted by tarpit ...`.
    case tarpittingPass = "tarpitting_pass"
    /// DMARC pass (OpenDMARC's `Authentication-Results`).
    case dmarcPass = "dmarc_pass"
    /// DMARC fail.
    case dmarcFail = "dmarc_fail"

    /// The order of the stacked areas in the graphs (the original's legend order).
    public static let graphOrder: [ReportSource] = [
        .spam, .virus, .uribl, .greylistingPass, .tarpittingPass, .spfPass, .spfFail, .senderIDPass,
        .senderIDFail, .dkimPass, .dkimFail, .dkimADSPPass, .dkimADSPFail, .dmarcPass, .dmarcFail,
    ]

    /// The legend label.
    public var label: String {
        switch self {
        case .spam: return "Spam"
        case .virus: return "Virus"
        case .uribl: return "URIBL"
        case .greylistingPass: return "Greylisting (pass)"
        case .spfPass: return "SPF (pass)"
        case .spfFail: return "SPF (fail)"
        case .senderIDPass: return "Sender ID (pass)"
        case .senderIDFail: return "Sender ID (fail)"
        case .dkimPass: return "DKIM (pass)"
        case .dkimFail: return "DKIM (fail)"
        case .dkimADSPPass: return "DKIM ADSP (pass)"
        case .dkimADSPFail: return "DKIM ADSP (fail)"
        case .tarpittingPass: return "Tarpitting (pass)"
        case .dmarcPass: return "DMARC (pass)"
        case .dmarcFail: return "DMARC (fail)"
        }
    }

    /// The area colour (the original's for its thirteen).
    public var colour: String {
        switch self {
        case .spam: return "#ff0000"
        case .virus: return "#ddbb00"
        case .uribl: return "#dd00bb"
        case .greylistingPass: return "#888888"
        case .tarpittingPass: return "#000088"
        case .spfPass: return "#33cc33"
        case .spfFail: return "#cc3333"
        case .senderIDPass: return "#33cccc"
        case .senderIDFail: return "#cccc33"
        case .dkimPass: return "#3366cc"
        case .dkimFail: return "#cc6633"
        case .dkimADSPPass: return "#3399cc"
        case .dkimADSPFail: return "#cc9933"
        case .dmarcPass: return "#66cc99"
        case .dmarcFail: return "#cc6699"
        }
    }

    /// The `Authentication-Results` method a pass/fail pair stands for (`spf`, `dkim`, ...).
    static func authenticationResult(method: Substring, passed: Bool) -> ReportSource? {
        switch method.lowercased() {
        case "spf": return passed ? .spfPass : .spfFail
        case "sender-id": return passed ? .senderIDPass : .senderIDFail
        case "dkim": return passed ? .dkimPass : .dkimFail
        case "dkim-adsp": return passed ? .dkimADSPPass : .dkimADSPFail
        case "dmarc": return passed ? .dmarcPass : .dmarcFail
        default: return nil
        }
    }
}
