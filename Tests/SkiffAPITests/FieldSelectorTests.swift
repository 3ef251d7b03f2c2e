import SkiffAPI
import Testing

/// Field selectors against upstream's `fields` tests (k8s.io/apimachinery v0.32) and messages.
@Suite struct FieldSelectorTests {
    private func parseError(_ text: String) -> APIError? {
        do {
            _ = try FieldSelector(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["x=a,y=b,z=c", "", "x!=a,y=b", #"x=a||y\=b"#, #"x=a\=\=b"#])
    func upstreamGoodStringsRoundTrip(_ text: String) throws {
        #expect(try FieldSelector(parsing: text).description == text)
    }

    @Test(arguments: [
        ("x=a||y=b", "invalid field selector: unescaped character in value: 61"),
        ("x==a==b", "invalid field selector: unescaped character in value: 61"),
        ("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"),
        ("x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"),
        ("x in (a,b,c)", "invalid selector: 'x in (a,b,c)'; can't understand 'b'"),
        ("x", "invalid selector: 'x'; can't understand 'x'"),
        (#"k=\a"#, #"invalid field selector: invalid escape sequence: \a"#),
        (#"k=\"#, #"invalid field selector: invalid escape sequence: \"#),
        (#"k=\\\"#, #"invalid field selector: invalid escape sequence: \"#),
        (#"k=\é"#, #"invalid field selector: invalid escape sequence: \é"#),
        (#"a\=b=c"#, "invalid field selector: unescaped character in value: 61"),
    ])
    func upstreamErrorMessages(_ text: String, _ message: String) {
        let error = parseError(text)
        #expect(error?.message == message)
        #expect(error?.code == 400)
        #expect(error?.reason == .badRequest)
    }

    @Test func termsAreSortedAsWritten() throws {
        #expect(try FieldSelector(parsing: "x=a,a=x") == FieldSelector(parsing: "a=x,x=a"))
        #expect(try FieldSelector(parsing: "x=a,a=x").description == "a=x,x=a")
        #expect(try FieldSelector(parsing: "목=록,함=수").description == "목=록,함=수")
        #expect(try FieldSelector(parsing: "b!=1,b=1").description == "b!=1,b=1", "`!` sorts before `=`")
    }

    @Test(arguments: [
        ("", ["x": "y"], true),
        ("x=y", ["x": "y"], true),
        ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true),
        ("notin=in", ["notin": "in"], true),
        ("x==y", ["x": "y"], true),
        ("x=y", ["x": "z"], false),
        ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false),
        ("foo=bar,baz=blah", ["foo": "bar", "baz": "blah"], true),
        (#"foo=bar,baz=blah,complex=\=value\\\,\\"#, ["foo": "bar", "baz": "blah", "complex": #"=value\,\"#], true),
        ("foo=blah", ["foo": "bar", "baz": "blah"], false),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
        // A missing field is the empty string.
        ("a=", [:], true),
        ("a!=b", [:], true),
        ("a=b", [:], false),
        ("a!=", [:], false),
        // Multi-byte fields and values; values compare byte for byte.
        ("함=수", ["함": "수"], true),
        ("n=\u{E9}", ["n": "e\u{301}"], false),
    ] as [(String, [String: String], Bool)])
    func matching(_ text: String, _ fields: [String: String], _ expected: Bool) throws {
        #expect(try FieldSelector(parsing: text).matches(fields) == expected)
    }

    @Test func emptyTermsAndEmptyRequirementsAreSkipped() throws {
        for text in ["", ",", "a=a,", ",a=a", "=", "!=", "==", "=,a=a"] {
            let selector = try FieldSelector(parsing: text)
            #expect(selector.requirements.count == (text.contains("a") ? 1 : 0), "\(text)")
        }
        #expect(try FieldSelector(parsing: "=").isEverything)
        #expect(FieldSelector().isEverything)
        #expect(FieldSelector().matches([:]))
        #expect(try FieldSelector(parsing: "=x").requirements == [.init(field: "", operator: .equals, value: "x")])
    }

    @Test func fieldNamesAreLiteralAndValuesUnescaped() throws {
        let selector = try FieldSelector(parsing: #"a\,b=c,d==\,\=\\,e!=f"#)
        #expect(selector.requirements == [
            .init(field: #"a\,b"#, operator: .equals, value: "c"),
            .init(field: "d", operator: .equals, value: #",=\"#),
            .init(field: "e", operator: .notEquals, value: "f"),
        ])
        #expect(selector.description == #"a\,b=c,d=\,\=\\,e!=f"#)
        #expect(try FieldSelector(parsing: "a=!b").requirements == [.init(field: "a", operator: .equals, value: "!b")])
        #expect(try FieldSelector(parsing: "a!b=c").requirements == [.init(field: "a!b", operator: .equals, value: "c")])
    }

    @Test(arguments: [("", ""), ("a", "a"), ("=", #"\="#), (",", #"\,"#), (#"\"#, #"\\"#), (#"\=\,\"#, #"\\\=\\\,\\"#)])
    func escaping(_ value: String, _ escaped: String) throws {
        #expect(FieldSelector.escapeValue(value) == escaped)
        let selector = try FieldSelector(parsing: "f=" + escaped)
        #expect(selector.requirements == [.init(field: "f", operator: .equals, value: value)])
    }

    @Test func exactValue() throws {
        #expect(try FieldSelector(parsing: "metadata.name=foo").exactValue(for: "metadata.name") == "foo")
        #expect(try FieldSelector(parsing: "spec.nodeName==n1,status.phase!=Running").exactValue(for: "spec.nodeName") == "n1")
        #expect(try FieldSelector(parsing: "status.phase!=Running").exactValue(for: "status.phase") == nil)
        #expect(try FieldSelector(parsing: "a!=1,a=2").exactValue(for: "a") == "2")
        #expect(try FieldSelector(parsing: "a=").exactValue(for: "a") == "")
        #expect(try FieldSelector(parsing: "a=1").exactValue(for: "b") == nil)
        #expect(FieldSelector().exactValue(for: "a") == nil)
    }

    @Test func unsupportedFieldsAreRejectedLikeUpstream() throws {
        let supported: Set = ["metadata.name", "metadata.namespace", "spec.nodeName"]
        try FieldSelector(parsing: "spec.nodeName=n1,metadata.name!=x").validateFields(supported: supported)
        #expect(throws: APIError.badRequest("field label not supported: spec.foo")) {
            try FieldSelector(parsing: "spec.nodeName=n1,spec.foo=bar").validateFields(supported: supported)
        }
        #expect(throws: APIError.badRequest("field label not supported: a"), "the first in sorted order") {
            try FieldSelector(parsing: "z=1,a=2").validateFields(supported: supported)
        }
        #expect(throws: APIError.badRequest("field label not supported: ")) {
            try FieldSelector(parsing: "=x").validateFields(supported: supported)
        }
    }

    @Test func requirementsExposeOperators() throws {
        let selector = try FieldSelector(parsing: "a==1,b=2,c!=3")
        #expect(selector.requirements.map(\.operator) == [.equals, .equals, .notEquals])
        #expect(selector.requirements.map(\.field) == ["a", "b", "c"])
        #expect(selector.description == "a=1,b=2,c!=3")
    }

    /// Found by `Fuzz/FuzzSelectors`: terms keep the order of their text as written and `==`
    /// prints as `=`, so the string form may list the same requirements in another order (as
    /// upstream's `String()`); reparsed, it is the same selector up to that order.
    @Test func theStringFormReparsesToTheSameRequirements() throws {
        let selector = try FieldSelector(parsing: "x==b,x=a")
        #expect(selector.description == "x=b,x=a")
        let reparsed = try FieldSelector(parsing: selector.description)
        #expect(reparsed.description == "x=a,x=b")
        #expect(Set(reparsed.requirements) == Set(selector.requirements))
    }
}
