import SkiffAPI
import Testing

/// A hand-made schema: an object whose `data` and `labels` are maps, `containers` an associative
/// list keyed by `name`, `finalizers` a set, `args` atomic and `selector` an atomic structure.
private struct TestSchema: StructuralSchema {
    var shape: StructuralShape = .granular
    var properties: [String: TestSchema] = [:]
    var values: [TestSchema] = []
    var items: [TestSchema] = []

    func property(_ name: String) -> (any StructuralSchema)? { properties[name] }
    var mapValues: (any StructuralSchema)? { values.first }
    var elements: (any StructuralSchema)? { items.first }
}

private let scalar = TestSchema(shape: .atomic)
private let map = TestSchema(values: [scalar])
private let container = TestSchema(properties: ["name": scalar, "image": scalar, "args": TestSchema(shape: .atomicList, items: [scalar])])
private let schema = TestSchema(properties: [
    "metadata": TestSchema(properties: ["name": scalar, "labels": map]),
    "data": map,
    "replicas": scalar,
    "selector": TestSchema(shape: .atomic),
    "finalizers": TestSchema(shape: .set, items: [scalar]),
    "containers": TestSchema(shape: .map(keys: ["name"]), items: [container]),
    "status": TestSchema(properties: ["phase": scalar]),
])

private func json(_ text: String) throws -> JSONValue { try JSONValue(parsing: text) }
private let manager = FieldManager(schema: schema, scope: .object(excludingStatus: true))
private func request(_ name: String) -> FieldManager.Request {
    FieldManager.Request(manager: name, apiVersion: "v1", time: Timestamp(seconds: 1_700_000_000))
}

@Suite struct FieldSetTests {
    @Test func membersFollowTheSchema() throws {
        let value = try json(#"{"data":{"a":"1"},"replicas":2,"selector":{"x":"y"},"finalizers":["f"],"containers":[{"name":"c","args":["-v"]}]}"#)
        let set = FieldSet(of: value, schema: schema)
        #expect(set.fieldsV1 == (try json(#"""
            {"f:data":{"f:a":{}},"f:replicas":{},"f:selector":{},"f:finalizers":{"v:\"f\"":{}},
             "f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:name":{},"f:args":{}}}}
            """#)))
    }

    @Test func fieldsV1RoundTripsAndSetAlgebra() throws {
        let a = FieldSet(fieldsV1: try json(#"{"f:a":{},"f:b":{".":{},"f:c":{}}}"#))
        let b = FieldSet(fieldsV1: try json(#"{"f:b":{"f:c":{}},"f:d":{}}"#))
        #expect(FieldSet(fieldsV1: a.fieldsV1) == a)
        #expect(a.intersection(b).paths == [["f:b", "f:c"]])
        #expect(a.subtracting(b).paths == [["f:a"], ["f:b"]])
        #expect(a.union(b).paths.count == 4)
    }

    @Test func pathsRenderAsUpstreamPrintsThem() {
        #expect(FieldPath.render(["f:spec", "f:containers", #"k:{"name":"c"}"#, "f:image"]) == #".spec.containers[name="c"].image"#)
        #expect(FieldPath.render(["f:metadata", "f:finalizers", #"v:"x""#]) == #".metadata.finalizers[="x"]"#)
    }
}

@Suite struct FieldManagerTests {
    @Test func createRecordsEveryFieldWithMapMarkers() throws {
        var object = try json(#"{"metadata":{"name":"n","labels":{"a":"b"}},"data":{"k":"v"},"status":{"phase":"x"}}"#)
        manager.recordUpdate(from: nil, to: &object, by: request("creator"))
        let entries = try #require(object[path: "metadata", "managedFields"]?.arrayValue)
        #expect(entries.count == 1)
        #expect(entries[0]["operation"] == "Update" && entries[0]["manager"] == "creator")
        #expect(entries[0]["fieldsV1"] == (try json(#"{"f:metadata":{"f:labels":{".":{},"f:a":{}}},"f:data":{".":{},"f:k":{}}}"#)),
                "status and identity metadata are not owned")
    }

    @Test func updatesTakeOwnershipWithoutConflicts() throws {
        var object = try json(#"{"data":{"a":"1","b":"2"}}"#)
        manager.recordUpdate(from: nil, to: &object, by: request("first"))
        let old = object
        object["data"] = try json(#"{"a":"changed","b":"2"}"#)
        manager.recordUpdate(from: old, to: &object, by: request("second"))
        let entries = object[path: "metadata", "managedFields"]?.arrayValue ?? []
        #expect(entries.map { $0["manager"] } == ["first", "second"])
        #expect(entries[0]["fieldsV1"] == (try json(#"{"f:data":{".":{},"f:b":{}}}"#)))
        #expect(entries[1]["fieldsV1"] == (try json(#"{"f:data":{"f:a":{}}}"#)))
    }

    @Test func applyConflictsWithAnotherOwnerOfAChangedField() throws {
        var live = try json(#"{"metadata":{"name":"n"},"replicas":1,"data":{"a":"1"}}"#)
        manager.recordUpdate(from: nil, to: &live, by: request("kubectl-edit"))
        let config = try json(#"{"metadata":{"name":"n"},"replicas":3,"data":{"a":"1"}}"#)
        #expect {
            _ = try manager.apply(config, to: live, by: request("ci"), force: false)
        } throws: { error in
            guard let error = error as? APIError else { return false }
            return error.code == 409 && error.reason == .conflict
                && error.message == #"Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .replicas"#
                && error.details?.causes.map(\.field) == [".replicas"]
        }
        let forced = try manager.apply(config, to: live, by: request("ci"), force: true)
        #expect(forced["replicas"] == 3)
        let entries = forced[path: "metadata", "managedFields"]?.arrayValue ?? []
        #expect(entries.first { $0["manager"] == "kubectl-edit" }?["fieldsV1"] == (try json(#"{"f:data":{".":{},"f:a":{}}}"#)),
                "the unchanged co-owned field stays with its owner; the forced one moved")
        #expect(entries.first { $0["manager"] == "ci" }?["fieldsV1"] == (try json(#"{"f:replicas":{},"f:data":{"f:a":{}}}"#)))
    }

    @Test func applyMergesListsAndRemovesWhatTheManagerDropped() throws {
        let first = try json(#"{"containers":[{"name":"a","image":"x"},{"name":"b","image":"y"}],"finalizers":["f1"],"data":{"k":"v"}}"#)
        var live = try manager.apply(first, to: nil, by: request("ci"), force: false)
        live["finalizers"] = try json(#"["f1","f2"]"#)
        let second = try json(#"{"containers":[{"name":"a","image":"z"}],"finalizers":["f1"]}"#)
        let result = try manager.apply(second, to: live, by: request("ci"), force: false)
        #expect(result["containers"] == (try json(#"[{"name":"a","image":"z"}]"#)), "b is no longer applied and nobody else owns it")
        #expect(result["finalizers"] == (try json(#"["f1","f2"]"#)), "f2 was never applied by ci")
        #expect(result["data"] == nil)
    }

    @Test func sharedFieldsStayWhenOneManagerDropsThem() throws {
        let config = try json(#"{"data":{"k":"v"}}"#)
        let live = try manager.apply(config, to: nil, by: request("one"), force: false)
        let shared = try manager.apply(config, to: live, by: request("two"), force: false)
        let dropped = try manager.apply(try json(#"{"replicas":1}"#), to: shared, by: request("one"), force: false)
        #expect(dropped["data"] == (try json(#"{"k":"v"}"#)))
        #expect(dropped["replicas"] == 1)
    }

    @Test func applyKeepsAMapAppliedEmptyThenWithEntries() throws {
        let empty = try manager.apply(try json(#"{"data":{}}"#), to: nil, by: request("ci"), force: false)
        var stored = empty
        stored["data"] = nil  // an empty map does not survive encoding (Go's omitempty)
        let filled = try manager.apply(try json(#"{"data":{"b":"2"}}"#), to: stored, by: request("ci"), force: false)
        #expect(filled["data"] == (try json(#"{"b":"2"}"#)))
        #expect(filled[path: "metadata", "managedFields"]?.arrayValue?.first?["fieldsV1"] == (try json(#"{"f:data":{"f:b":{}}}"#)))
        let again = try manager.apply(try json(#"{"data":{"b":"2"}}"#), to: empty, by: request("ci"), force: false)
        #expect(again["data"] == (try json(#"{"b":"2"}"#)), "the same when the empty map was kept")
    }
}
