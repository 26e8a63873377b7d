import MilterProtocol
import Testing

@Suite("Negotiation rules (runtime.md 1.5-1.6)")
struct NegotiationRulesTests {
    let everything = Negotiation(version: 6, actions: .all, steps: .all)

    @Test func childOfferIsTheMTAsOptionCappedAtSix() {
        let mta = Negotiation(version: 8, actions: [.addHeaders], steps: [.noConnect, .skip])
        #expect(
            NegotiationRules.childOffer(fromMTA: mta)
                == Negotiation(version: 6, actions: [.addHeaders], steps: [.noConnect, .skip]))
    }

    @Test func childSessionIsTheIntersection() throws {
        let offered = Negotiation(version: 6, actions: [.addHeaders, .changeBody], steps: [.noHelo, .skip])
        let reply = Negotiation(
            version: 2, actions: [.addHeaders, .quarantine], steps: [.skip, .noUnknown],
            macroRequests: [MacroRequest(stage: .connect, symbols: ["j"])])
        let session = try NegotiationRules.childSession(offered: offered, reply: reply)
        #expect(session.version == 2)
        #expect(session.actions == [.addHeaders])
        #expect(session.steps == [.skip])
        #expect(session.macroRequests == reply.macroRequests)
    }

    @Test func childAskingForANewerVersionFails() {
        let offered = Negotiation(version: 4, actions: .all, steps: .all)
        #expect(throws: NegotiationError.newerVersionRequested(offered: 4, requested: 6)) {
            try NegotiationRules.childSession(offered: offered, reply: Negotiation(version: 6))
        }
        #expect(throws: NegotiationError.unsupportedVersion(1)) {
            try NegotiationRules.childSession(offered: offered, reply: Negotiation(version: 1))
        }
        #expect(
            NegotiationError.newerVersionRequested(offered: 4, requested: 6).description
                == "unsupported newer version is requested: 4 < 6")
    }

    /// Fixture from the original: the MTA offers everything, one child asks `skip` only.
    @Test func oneChildAskingSkipGivesSkipOnly() throws {
        var merger = NegotiationMerger(mta: everything)
        let child = try NegotiationRules.childSession(
            offered: everything, reply: Negotiation(version: 6, actions: [.addHeaders], steps: [.skip]))
        merger.add(child: child)
        let reply = merger.reply()
        #expect(reply.steps == [.skip])
        #expect(reply.version == 6)
        // Actions: the MTA's option merged with the children's (the original starts from the MTA's).
        #expect(reply.actions == .all)
    }

    /// NO flags never go up (the manager needs every event); NO_REPLY neither (RECOMMEND).
    @Test func noFlagsAreNeverRequestedFromTheMTA() {
        var merger = NegotiationMerger(mta: everything)
        let allNo = Negotiation(version: 6, actions: [], steps: ProtocolFlags.noMask)
        merger.add(child: allNo)
        merger.add(child: allNo)
        #expect(merger.reply().steps == [])
    }

    @Test func yesFlagsNeedTheMTAsOfferAndSomeChild() {
        let mta = Negotiation(version: 6, actions: .all, steps: [.skip, .headerValueWithLeadingSpace])
        var merger = NegotiationMerger(mta: mta)
        merger.add(child: Negotiation(version: 6, actions: [], steps: [.headerValueWithLeadingSpace]))
        merger.add(child: Negotiation(version: 6, actions: [], steps: [.recipientRejected]))
        #expect(merger.reply().steps == [.headerValueWithLeadingSpace])
    }

    @Test func unknownBitsOnlyWhenEveryChildAskedForThem() {
        let mds256k = ProtocolFlags(rawValue: 0x1000_0000)
        let mta = Negotiation(version: 6, actions: .all, steps: ProtocolFlags.all.union(mds256k))
        var both = NegotiationMerger(mta: mta)
        both.add(child: Negotiation(version: 6, actions: [], steps: mds256k))
        both.add(child: Negotiation(version: 6, actions: [], steps: mds256k))
        #expect(both.reply().steps == mds256k)
        var one = NegotiationMerger(mta: mta)
        one.add(child: Negotiation(version: 6, actions: [], steps: mds256k))
        one.add(child: Negotiation(version: 6, actions: [], steps: []))
        #expect(one.reply().steps == [])
        #expect(NegotiationMerger(mta: mta).reply().steps == [])
    }

    @Test func noChildrenAnswersWithTheMTAsActionsAndNoSteps() {
        let mta = Negotiation(version: 6, actions: [.addHeaders, .changeBody], steps: .all)
        #expect(
            NegotiationMerger(mta: mta).reply()
                == Negotiation(version: 6, actions: [.addHeaders, .changeBody], steps: []))
    }

    @Test func macroRequestsAreUnionedPerStageInFirstSeenOrder() {
        var merger = NegotiationMerger(mta: everything)
        merger.add(
            child: Negotiation(macroRequests: [
                MacroRequest(stage: .connect, symbols: ["{client_addr}", "j"]),
                MacroRequest(stage: .endOfMessage, symbols: ["i"]),
            ]))
        merger.add(
            child: Negotiation(macroRequests: [
                MacroRequest(stage: .connect, symbols: ["j", "{daemon_name}"]),
                MacroRequest(stage: .endOfMessage, symbols: ["i"]),
            ]))
        #expect(
            merger.reply().macroRequests == [
                MacroRequest(stage: .connect, symbols: ["{client_addr}", "j", "{daemon_name}"]),
                MacroRequest(stage: .endOfMessage, symbols: ["i"]),
            ])
    }

    /// A child without a list for a stage wants the MTA's defaults there; another child's list
    /// must not take them away from it.
    @Test func stageDefaultsAreKeptForChildrenWithoutAList() {
        var merger = NegotiationMerger(mta: everything)
        merger.add(child: Negotiation(macroRequests: [MacroRequest(stage: .envelopeFrom, symbols: ["{x_custom}"])]))
        merger.add(child: Negotiation())
        let requested = merger.reply().requestedSymbols(for: .envelopeFrom)
        #expect(
            requested == [
                "{x_custom}", "i", "{auth_type}", "{auth_authen}", "{auth_author}", "{mail_addr}", "{mail_host}",
                "{mail_mailer}",
            ])
        #expect(merger.reply().requestedSymbols(for: .connect) == nil)
    }

    @Test func macrosSentToAChildFollowItsList() {
        let stored = [
            Macro(name: "j", value: "mx"), Macro(name: "client_addr", value: "192.0.2.1"),
            Macro(name: "v", value: "Postfix"),
        ]
        let withList = Negotiation(macroRequests: [
            MacroRequest(stage: .connect, symbols: ["{client_addr}", "{missing}", "j"])
        ])
        #expect(
            NegotiationRules.macros(toSend: stored, stage: .connect, childSession: withList)
                == [Macro(name: "client_addr", value: "192.0.2.1"), Macro(name: "j", value: "mx")])
        // No list for this stage: everything the MTA sent.
        #expect(NegotiationRules.macros(toSend: stored, stage: .helo, childSession: withList) == stored)
        #expect(NegotiationRules.macros(toSend: stored, stage: .connect, childSession: Negotiation()) == stored)
        // Stages without an SMFIM_ slot (header, body) always get everything.
        #expect(NegotiationRules.macros(toSend: stored, stage: .header, childSession: withList) == stored)
    }

    @Test func defaultMilterAnswerDropsNoFlagsAndTwoYesFlags() {
        let answer = NegotiationRules.defaultMilterAnswer(offered: everything)
        #expect(answer.steps == [.skip])
        #expect(answer.actions == .all)
    }

    @Test func flagNicksAsTheOriginalPrintsThem() {
        #expect(ActionFlags([.addHeaders, .changeBody]).nickDescription == "add-headers|change-body")
        #expect(ProtocolFlags([.noConnect, .skip]).nickDescription == "no-connect|skip")
        #expect(ProtocolFlags(rawValue: 0x1000_0001).nickDescription == "no-connect|0x10000000")
        #expect(ActionFlags.all.rawValue == 0x1ff)
        #expect(ProtocolFlags.all.rawValue == 0x1f_ffff)
        #expect(MilterCommandCode.header.noReplyFlag == .noReplyHeader)
        #expect(MilterCommandCode.data.noEventFlag == .noData)
    }
}
