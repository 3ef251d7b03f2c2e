import SkiffAPI
import Testing
@testable import SkiffAPIExtensions

/// Validation of custom objects against their schema, with upstream's paths and messages.
struct SchemaValidationTests {
    static let schema = CustomResourceSchema([
        "type": "object",
        "properties": [
            "spec": [
                "type": "object",
                "required": ["image"],
                "properties": [
                    "image": ["type": "string", "minLength": 1, "maxLength": 10, "pattern": "^[a-z]+$"],
                    "replicas": ["type": "integer", "minimum": 1, "maximum": 5],
                    "ratio": ["type": "number", "exclusiveMinimum": true, "minimum": 0],
                    "mode": ["type": "string", "enum": ["fast", "slow"]],
                    "id": ["type": "string", "format": "uuid"],
                    "port": ["x-kubernetes-int-or-string": true],
                    "note": ["type": "string", "nullable": true],
                    "tags": ["type": "array", "items": ["type": "string"], "maxItems": 2, "x-kubernetes-list-type": "set"],
                    "ports": [
                        "type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"],
                        "items": ["type": "object", "properties": ["name": ["type": "string"], "port": ["type": "integer"]]],
                    ],
                    "labels": ["type": "object", "additionalProperties": ["type": "string"], "maxProperties": 1],
                    "template": ["type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true],
                ],
            ],
        ],
    ])

    func messages(_ spec: JSONValue) -> [String] {
        SchemaValidator(root: Self.schema).validate(["apiVersion": "a/v1", "kind": "K", "metadata": ["name": "x"], "spec": spec])
            .map(\.message)
    }

    @Test func validObjectHasNoErrors() {
        #expect(messages(["image": "nginx", "replicas": 3, "ratio": 0.5, "mode": "fast", "port": "http", "note": nil,
                          "id": "123e4567-e89b-12d3-a456-426614174000", "tags": ["a", "b"],
                          "ports": [["name": "a"], ["name": "b"]], "labels": ["a": "b"],
                          "template": ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p"]]]) == [])
    }

    @Test func typeErrorsNameTheFoundType() {
        #expect(messages(["image": "nginx", "replicas": "three"])
            == [#"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#])
        #expect(messages(["image": 1]) == [#"spec.image: Invalid value: "integer": spec.image in body must be of type string: "integer""#])
        #expect(messages(["image": "x", "port": true])
            == [#"spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#])
    }

    @Test func everyFailingFieldIsListed() {
        let found = messages(["replicas": 0, "mode": "medium", "ratio": 0, "id": "nope", "image": "NGINX-too-long"])
        #expect(found == [
            #"spec.id: Invalid value: "nope": spec.id in body must be of type uuid: "nope""#,
            #"spec.image: Too long: may not be more than 10 bytes"#,
            #"spec.image: Invalid value: "NGINX-too-long": spec.image in body should match '^[a-z]+$'"#,
            #"spec.mode: Unsupported value: "medium": supported values: "fast", "slow""#,
            "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0",
            "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1",
        ])
    }

    @Test func enumsAreCheckedEvenOnTypeErrors() {
        let schema = CustomResourceSchema(["type": "object", "properties": ["n": ["type": "integer", "enum": [1, 2]]]])
        #expect(SchemaValidator(root: schema).validate(["n": "x"]).map(\.message) == [
            #"n: Invalid value: "string": n in body must be of type integer: "string""#,
            #"n: Unsupported value: "x": supported values: "1", "2""#,
        ])
    }

    @Test func requiredAndNullable() {
        #expect(messages(["replicas": 6]) == [
            "spec.image: Required value",
            "spec.replicas: Invalid value: 6: spec.replicas in body should be less than or equal to 5",
        ])
        #expect(messages(["image": "a", "mode": nil])
            == [#"spec.mode: Invalid value: "null": spec.mode in body must be of type string: "null""#])
    }

    @Test func listTypesAndMaps() {
        #expect(messages(["image": "a", "tags": ["a", "a", "b"], "ports": [["name": "x"], ["name": "x"]], "labels": ["a": "1", "b": "2"]]) == [
            "spec.labels: Too many: 2: must have at most 1 items",
            #"spec.ports[1]: Duplicate value: map[string]interface {}{"name":"x"}"#,
            "spec.tags: Too many: 3: must have at most 2 items",
            #"spec.tags[1]: Duplicate value: "a""#,
        ])
    }

    @Test func embeddedResourcesNeedApiVersionAndKind() {
        #expect(messages(["image": "a", "template": ["metadata": ["name": "P_1"]]]).prefix(3) == [
            "spec.template.apiVersion: Required value: must not be empty",
            "spec.template.kind: Required value: must not be empty",
            #"spec.template.metadata.name: Invalid value: "P_1": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#,
        ])
    }
}

/// Validation ratcheting on updates.
struct RatchetingTests {
    @Test func unchangedFieldsAreRatchetedChangedOnesAreNot() {
        let old: JSONValue = ["spec": ["replicas": 9, "items": [["name": "A"]], "mode": "x"]]
        var new = old
        new[path: "spec", "mode"] = "y"
        #expect(Ratcheting.unchanged(at: "spec.replicas", in: new, old: old))
        #expect(Ratcheting.unchanged(at: "spec.items[0].name", in: new, old: old))
        #expect(!Ratcheting.unchanged(at: "spec.mode", in: new, old: old))
        new[path: "spec", "items"] = [["name": "A"], ["name": "b"]]
        #expect(!Ratcheting.unchanged(at: "spec.items[0].name", in: new, old: old))
        #expect(Ratcheting.unchanged(at: "spec.missing", in: new, old: old))
    }
}
