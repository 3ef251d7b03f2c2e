import SkiffAPI
import Testing

@Suite struct JSONValueTests {
    @Test func parsesAndSerializesRoundTrip() throws {
        let text = #"{"b":[1,2.5,true,null,"x\"y\n\u00e9\ud83d\ude00"],"a":{"n":-12,"e":1e3}}"#
        let value = try JSONValue(parsing: text)
        #expect(value["a"]?["n"] == .int(-12))
        #expect(value["a"]?["e"] == .double(1000))
        #expect(value["b"]?.arrayValue?[4] == .string("x\"y\né😀"))
        let again = try JSONValue(parsing: value.serialized())
        #expect(again == value)
        #expect(value.serializedString().hasPrefix(#"{"a":{"e":1000,"n":-12},"b""#))
    }

    @Test func rejectsMalformedDocuments() {
        for text in ["{", #"{"a":}"#, "[1,]", "01", "\"\u{01}\"", "tru", "{} x", #"{"a" 1}"#] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
        }
    }

    @Test func escapesLikeGo() {
        let value: JSONValue = ["k": "<a&b>\t"]
        #expect(value.serializedString() == #"{"k":"\u003ca\u0026b\u003e\t"}"#)
    }

    @Test func pathSubscriptCreatesIntermediateObjects() {
        var value: JSONValue = .emptyObject
        value[path: "metadata", "labels", "app"] = "web"
        #expect(value.serializedString() == #"{"metadata":{"labels":{"app":"web"}}}"#)
        value[path: "metadata", "labels", "app"] = nil
        #expect(value[path: "metadata", "labels"] == .emptyObject)
    }
}
