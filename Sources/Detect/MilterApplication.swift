/// The milters whose own configuration file detection reads for the socket.
enum MilterApplication: Hashable, Sendable {
    /// milter-greylist (greylist.conf `socket`, tarpit ACLs).
    case greylist
    /// clamav-milter (clamav-milter.conf `MilterSocket`, `Example`).
    case clamav
    /// OpenDKIM (opendkim.conf `Socket`).
    case opendkim
    /// OpenDMARC (opendmarc.conf `Socket`).
    case opendmarc
    /// pyspf-milter (pyspf-milter.conf `Socket`).
    case pyspf
    /// ENMA (enma.conf `milter.socket:`).
    case enma
    /// The rspamd proxy worker in milter mode.
    case rspamd
    /// No configuration file of its own is read.
    case generic
}
