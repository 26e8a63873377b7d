import MilterProtocol
import Testing

@Suite("SMTP reply codes (y)")
struct SMTPReplyTests {
    @Test func partsOfAReply() throws {
        let reply = try SMTPReply(validating: "554 5.7.1 1% 2%% 3%%%")
        #expect(reply.code == 554)
        #expect(reply.isPermanent)
        #expect(reply.extendedCode == "5.7.1")
        #expect(reply.message == "1% 2%% 3%%%")
    }

    /// Unlike the original, plain text after the code is not taken for an extended code.
    @Test func textWithoutExtendedCode() throws {
        let reply = try SMTPReply(validating: "550 Rejected by policy")
        #expect(reply.extendedCode == nil)
        #expect(reply.message == "Rejected by policy")
        let bare = try SMTPReply(validating: "451")
        #expect(bare.code == 451)
        #expect(!bare.isPermanent)
        #expect(bare.extendedCode == nil)
        #expect(bare.message == nil)
    }

    @Test func multiLineReplyIsKeptVerbatim() throws {
        let text: MilterString = "550-5.7.1 first line\r\n550 5.7.1 second line"
        let reply = try SMTPReply(validating: text)
        #expect(reply.text == text)
        #expect(reply.extendedCode == "5.7.1")
        #expect(reply.message == "first line")
    }

    @Test("invalid codes", arguments: ["250 ok", "55", "5a0 x", "600 x", "5500 x", ""])
    func invalidCodes(_ text: String) {
        #expect(throws: SMTPReplyError.self) { try SMTPReply(validating: MilterString(text)) }
    }

    @Test func buildingAReply() throws {
        #expect(try SMTPReply(code: 451, extendedCode: "4.7.1", message: "Greylisting").text == "451 4.7.1 Greylisting")
        #expect(try SMTPReply(code: 550, message: "no").text == "550 no")
        #expect(try SMTPReply(code: 550, extendedCode: "5.7.1").text == "550 5.7.1")
        #expect(
            try SMTPReply(code: 550, extendedCode: "5.7.1", message: "line one\r\nline two").text
                == "550-5.7.1 line one\r\n550 5.7.1 line two")
    }

    @Test func buildingRejectsBadParts() {
        #expect(throws: SMTPReplyError.invalidCode("250")) { try SMTPReply(code: 250) }
        #expect(throws: SMTPReplyError.classMismatch(code: 554, extendedCode: "4.7.1")) {
            try SMTPReply(code: 554, extendedCode: "4.7.1")
        }
        #expect(throws: SMTPReplyError.invalidExtendedCode("3.7.1")) { try SMTPReply(code: 554, extendedCode: "3.7.1") }
        #expect(throws: SMTPReplyError.invalidExtendedCode("5.7")) { try SMTPReply(code: 554, extendedCode: "5.7") }
    }

    @Test func milterStringKeepsBytesAndCutsAtNUL() {
        let bytes: [UInt8] = [0xff, 0x41, 0x00, 0x42]
        #expect(MilterString(bytes: bytes).bytes == [0xff, 0x41])
        #expect(MilterString("From").caseInsensitiveEquals("FROM"))
        #expect(!MilterString("From").caseInsensitiveEquals("Fro"))
    }
}
