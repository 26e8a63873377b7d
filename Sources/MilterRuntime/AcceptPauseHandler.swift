import NIOCore

/// On the listening channel: hands accept() errors to the `AcceptGate`, which pauses accepting
/// when they are for want of resources; other errors go on down the pipeline.
final class AcceptPauseHandler: ChannelInboundHandler {
    typealias InboundIn = Channel

    private let gate: AcceptGate

    init(gate: AcceptGate) {
        self.gate = gate
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let ioError = error as? IOError, gate.acceptFailed(ioError) else {
            context.fireErrorCaught(error)
            return
        }
    }
}
