import SkiffAPI
import Testing

@Suite struct MergePatchTests {
    /// RFC 7386 appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"a":1,"e":null}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfcExamples(_ target: String, _ patch: String, _ expected: String) throws {
        let result = MergePatch.apply(try JSONValue(parsing: patch), to: try JSONValue(parsing: target))
        #expect(result == (try JSONValue(parsing: expected)))
    }

    @Test func patchingWithItselfIsIdentityForObjectsWithoutNulls() throws {
        let value = try JSONValue(parsing: #"{"a":{"b":[1,2]},"c":"d"}"#)
        #expect(MergePatch.apply(value, to: value) == value)
    }
}

@Suite struct JSONPatchTests {
    private func apply(_ document: String, _ patch: String) throws -> JSONValue {
        try JSONPatch.apply(try JSONValue(parsing: patch), to: try JSONValue(parsing: document))
    }

    /// RFC 6902 appendix A.
    @Test func rfcExamples() throws {
        #expect(try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#) == (try JSONValue(parsing: #"{"baz":"qux","foo":"bar"}"#)))
        #expect(try apply(#"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#) == (try JSONValue(parsing: #"{"foo":["bar","qux","baz"]}"#)))
        #expect(try apply(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#) == (try JSONValue(parsing: #"{"foo":"bar"}"#)))
        #expect(try apply(#"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#) == (try JSONValue(parsing: #"{"baz":"boo","foo":"bar"}"#)))
        #expect(try apply(#"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#, #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#)
                == (try JSONValue(parsing: #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#)))
        #expect(try apply(#"{"foo":["all","grass","cows","eat"]}"#, #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#)
                == (try JSONValue(parsing: #"{"foo":["all","cows","eat","grass"]}"#)))
        #expect(try apply(#"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#) == (try JSONValue(parsing: #"{"foo":["bar",["abc","def"]]}"#)))
        #expect(try apply(#"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#) == (try JSONValue(parsing: #"{"/":9,"~1":10}"#)))
        #expect(try apply(#"{"a":{"b":1}}"#, #"[{"op":"copy","from":"/a","path":"/c"}]"#) == (try JSONValue(parsing: #"{"a":{"b":1},"c":{"b":1}}"#)))
    }

    @Test func failuresLeaveNothingHalfApplied() throws {
        #expect(throws: JSONPatch.Failure.self) { try apply(#"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#) }
        #expect(throws: JSONPatch.Failure.self) { try apply(#"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#) }
        #expect(throws: JSONPatch.Failure.self) { try apply(#"{"a":1}"#, #"[{"op":"remove","path":"/b"}]"#) }
        #expect(throws: JSONPatch.Failure.self) { try apply(#"{"a":1}"#, #"[{"op":"frobnicate","path":"/a"}]"#) }
        let document = try JSONValue(parsing: #"{"a":1}"#)
        let patch = try JSONValue(parsing: #"[{"op":"add","path":"/b","value":2},{"op":"remove","path":"/missing"}]"#)
        #expect(throws: JSONPatch.Failure.self) { try JSONPatch.apply(patch, to: document) }
    }

    @Test func createThenPatchEqualsDirectResult() throws {
        let base = try JSONValue(parsing: #"{"metadata":{"labels":{"a":"1"}}}"#)
        let patched = try JSONPatch.apply(try JSONValue(parsing: #"[{"op":"add","path":"/metadata/labels/b","value":"2"}]"#), to: base)
        var direct = base
        direct[path: "metadata", "labels", "b"] = "2"
        #expect(patched == direct)
    }
}
