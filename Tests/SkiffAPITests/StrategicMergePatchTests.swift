import SkiffAPI
import Testing

/// A hand-made schema: `containers` merge by `name`, `finalizers` merge as a set, `args` replace.
private struct TestSchema: PatchSchema {
    var fields: [String: PatchField] = [:]
    var mapValues: (any PatchSchema)? { nil }
    func field(_ name: String) -> PatchField? { fields[name] }
}

private let containerSchema = TestSchema(fields: [
    "env": PatchField(strategies: ["merge"], mergeKey: "name", schema: TestSchema()),
    "args": PatchField(strategies: [], mergeKey: nil, schema: nil),
])
private let specSchema = TestSchema(fields: [
    "containers": PatchField(strategies: ["merge"], mergeKey: "name", schema: containerSchema),
    "finalizers": PatchField(strategies: ["merge"], mergeKey: nil, schema: nil),
    "strategy": PatchField(strategies: ["retainKeys"], mergeKey: nil, schema: TestSchema()),
])

@Suite struct StrategicMergePatchTests {
    private func apply(_ original: String, _ patch: String) throws -> JSONValue {
        try StrategicMergePatch.apply(try JSONValue(parsing: patch), to: try JSONValue(parsing: original), schema: specSchema)
    }

    @Test func mergesListsByKey() throws {
        let result = try apply(#"{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}]}"#,
                               #"{"containers":[{"name":"b","image":"z"},{"name":"c","image":"w"}]}"#)
        #expect(result == (try JSONValue(parsing: #"{"containers":[{"name":"a","image":"x"},{"name":"b","image":"z"},{"name":"c","image":"w"}]}"#)))
    }

    @Test func deletesAndReplacesElements() throws {
        let deleted = try apply(#"{"containers":[{"name":"a"},{"name":"b"}]}"#, #"{"containers":[{"name":"a","$patch":"delete"}]}"#)
        #expect(deleted == (try JSONValue(parsing: #"{"containers":[{"name":"b"}]}"#)))
        let replaced = try apply(#"{"containers":[{"name":"a"},{"name":"b"}]}"#, #"{"containers":[{"$patch":"replace"},{"name":"c"}]}"#)
        #expect(replaced == (try JSONValue(parsing: #"{"containers":[{"name":"c"}]}"#)))
    }

    @Test func nestedListsAndReplacedLists() throws {
        let result = try apply(#"{"containers":[{"name":"a","env":[{"name":"X","value":"1"}],"args":["p","q"]}]}"#,
                               #"{"containers":[{"name":"a","env":[{"name":"Y","value":"2"}],"args":["r"]}]}"#)
        #expect(result == (try JSONValue(parsing: #"{"containers":[{"name":"a","env":[{"name":"X","value":"1"},{"name":"Y","value":"2"}],"args":["r"]}]}"#)))
    }

    @Test func primitiveSetsAndDeleteFromPrimitiveList() throws {
        #expect(try apply(#"{"finalizers":["a","b"]}"#, #"{"finalizers":["b","c"]}"#) == (try JSONValue(parsing: #"{"finalizers":["a","b","c"]}"#)))
        #expect(try apply(#"{"finalizers":["a","b"]}"#, #"{"$deleteFromPrimitiveList/finalizers":["a"]}"#) == (try JSONValue(parsing: #"{"finalizers":["b"]}"#)))
    }

    @Test func mapDirectivesAndNulls() throws {
        #expect(try apply(#"{"a":{"x":1,"y":2}}"#, #"{"a":{"x":null}}"#) == (try JSONValue(parsing: #"{"a":{"y":2}}"#)))
        #expect(try apply(#"{"a":{"x":1,"y":2}}"#, #"{"a":{"$patch":"replace","z":3}}"#) == (try JSONValue(parsing: #"{"a":{"z":3}}"#)))
        #expect(try apply(#"{"a":{"x":1},"b":2}"#, #"{"a":{"$patch":"delete"}}"#) == (try JSONValue(parsing: #"{"b":2}"#)))
        let retained = try apply(#"{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}"#,
                                 #"{"strategy":{"type":"Recreate","$retainKeys":["type"]}}"#)
        #expect(retained == (try JSONValue(parsing: #"{"strategy":{"type":"Recreate"}}"#)))
    }

    @Test func setElementOrder() throws {
        let result = try apply(#"{"containers":[{"name":"a"},{"name":"b"}]}"#,
                               #"{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"i"}]}"#)
        #expect(result == (try JSONValue(parsing: #"{"containers":[{"name":"b"},{"name":"a","image":"i"}]}"#)))
    }
}
