import SkiffAPI
import Testing

@Suite struct JSONShapesTests {
    /// 0: a kind (`metadata`, `spec`, `status`); 1: its spec (a `labels` map of 2, a list of 3);
    /// 2: map of strings; 3: a struct declaring `name` then `apiVersion`; 4: an embedded object.
    let shapes = JSONShapes(shapes: [
        .structure([.init(name: "metadata", shape: nil), .init(name: "spec", shape: 1), .init(name: "status", shape: nil)]),
        .structure([.init(name: "zeta", shape: nil), .init(name: "labels", shape: 2), .init(name: "refs", shape: 3),
                    .init(name: "raw", shape: 4)]),
        .map(value: nil),
        .structure([.init(name: "name", shape: nil), .init(name: "apiVersion", shape: nil)]),
        .embedded,
    ], kinds: ["v1/Thing": 0])

    @Test func structsListDeclaredMembersInOrderAfterTypeMeta() throws {
        let value = try JSONValue(parsing: #"""
            {"status":{"b":1,"a":2},"spec":{"raw":{"kind":"Thing","apiVersion":"v1","spec":{"zeta":1},"metadata":{}},
             "refs":[{"apiVersion":"v1","name":"x","extra":true}],"labels":{"b":"2","a":"1"},"zeta":0,"alpha":3},
             "metadata":{"name":"n"},"apiVersion":"v1","kind":"Thing","other":1}
            """#)
        let text = String(decoding: value.serialized(shapes: shapes), as: UTF8.self)
        #expect(text == #"{"kind":"Thing","apiVersion":"v1","metadata":{"name":"n"},"spec":{"zeta":0,"labels":{"a":"1","b":"2"},"#
            + #""refs":[{"name":"x","apiVersion":"v1","extra":true}],"#
            + #""raw":{"kind":"Thing","apiVersion":"v1","metadata":{},"spec":{"zeta":1}},"alpha":3},"status":{"a":2,"b":1},"other":1}"#)
        #expect(try JSONValue(parsing: value.serialized(shapes: shapes)) == value)
    }

    @Test func unknownKindsSortTheirMembers() throws {
        let value: JSONValue = ["kind": "Other", "apiVersion": "v1", "spec": ["b": 1, "a": 2]]
        #expect(value.serialized(shapes: shapes) == value.serialized())
        #expect(value.serializedString() == #"{"apiVersion":"v1","kind":"Other","spec":{"a":2,"b":1}}"#)
    }
}
