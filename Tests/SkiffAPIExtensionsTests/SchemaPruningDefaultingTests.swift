import SkiffAPI
import Testing
@testable import SkiffAPIExtensions

/// Pruning of unknown fields and defaulting from the schema.
struct SchemaPruningDefaultingTests {
    static let schema = CustomResourceSchema([
        "type": "object",
        "properties": [
            "spec": [
                "type": "object",
                "properties": [
                    "size": ["type": "integer", "default": 1],
                    "mode": ["type": "string", "default": "fast"],
                    "limits": ["type": "object", "default": [:], "properties": ["cpu": ["type": "string", "default": "1"]]],
                    "items": ["type": "array", "items": ["type": "object", "properties": ["name": ["type": "string"], "weight": ["type": "integer", "default": 5]]]],
                    "free": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
                    "pod": ["type": "object", "x-kubernetes-embedded-resource": true, "properties": ["spec": ["type": "object"]]],
                ],
            ],
        ],
    ])

    @Test func unknownFieldsArePrunedAndNamed() {
        let object: JSONValue = [
            "apiVersion": "a/v1", "kind": "K", "metadata": ["name": "x"], "extra": 1,
            "spec": ["size": 2, "bogus": true, "items": [["name": "a", "colour": "red"]], "free": ["anything": ["goes": 1]],
                     "pod": ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": [:], "junk": 1]],
        ]
        let (pruned, unknown) = SchemaPruner(root: Self.schema).prune(object)
        #expect(unknown == ["extra", "spec.bogus", "spec.items[0].colour", "spec.pod.junk"])
        #expect(pruned == [
            "apiVersion": "a/v1", "kind": "K", "metadata": ["name": "x"],
            "spec": ["size": 2, "items": [["name": "a"]], "free": ["anything": ["goes": 1]],
                     "pod": ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"], "spec": [:]]],
        ])
    }

    @Test func defaultsFillMissingFieldsAndNestedDefaults() {
        var object: JSONValue = ["spec": ["size": 3, "mode": nil, "items": [["name": "a"], ["name": "b", "weight": 1]]]]
        SchemaDefaulter(root: Self.schema).apply(to: &object)
        #expect(object == ["spec": [
            "size": 3, "mode": "fast", "limits": ["cpu": "1"],
            "items": [["name": "a", "weight": 5], ["name": "b", "weight": 1]],
        ]])
    }

    @Test func noSpecGetsNoDefaults() {
        var object: JSONValue = ["metadata": ["name": "x"]]
        SchemaDefaulter(root: Self.schema).apply(to: &object)
        #expect(object == ["metadata": ["name": "x"]])
    }

    @Test func unknownFieldsAreNamedInMemberOrderAtEveryLevel() {
        let object: JSONValue = [
            "zeta": 1, "metadata": ["name": "x", "lables": ["a": "b"]], "alpha": 2,
            "spec": ["zz": 1, "items": [["name": "a", "b": 1, "a": 2], ["c": 3]], "aa": 2, "size": 1],
        ]
        let (pruned, unknown) = SchemaPruner(root: Self.schema).prune(object)
        #expect(unknown == ["alpha", "metadata.lables", "spec.aa", "spec.items[0].a", "spec.items[0].b", "spec.items[1].c", "spec.zz", "zeta"])
        #expect(pruned == ["metadata": ["name": "x"], "spec": ["items": [["name": "a"], [:]], "size": 1]])
    }

    @Test func aSchemaWithoutDefaultsLeavesObjectsAsTheyAre() {
        let plain = CustomResourceSchema(["type": "object", "properties": ["spec": ["type": "object", "properties": ["size": ["type": "integer"]]]]])
        #expect(!plain.hasDefaultsBelow && Self.schema.hasDefaultsBelow)
        var object: JSONValue = ["spec": ["size": nil]]
        SchemaDefaulter(root: plain).apply(to: &object)
        #expect(object == ["spec": ["size": nil]])
        #expect(SchemaPruner(root: plain).prune(object).object == object)
    }
}
