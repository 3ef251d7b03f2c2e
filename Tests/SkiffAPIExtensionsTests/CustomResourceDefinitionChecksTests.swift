import SkiffAPI
import Testing
@testable import SkiffAPIExtensions

/// The checks at CRD create: structural schemas, compilable CEL rules; and CEL rules at runtime.
struct CustomResourceDefinitionChecksTests {
    static func crd(schema: JSONValue) -> JSONValue {
        ["spec": ["versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": schema]]]]]
    }

    @Test func nonStructuralSchemasAreRefused() {
        let errors = CustomResourceDefinitionChecks.errors(of: Self.crd(schema: [
            "type": "object",
            "properties": [
                "spec": ["properties": ["a": ["type": "string"]]],
                "list": ["type": "array"],
                "both": ["type": "object", "properties": ["x": ["type": "string"]], "additionalProperties": ["type": "string"]],
                "port": ["type": "string", "x-kubernetes-int-or-string": true],
            ],
        ])).map(\.message)
        let root = "spec.versions[0].schema.openAPIV3Schema"
        #expect(errors == [
            "\(root).properties[both].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
            "\(root).properties[list].items: Required value: must be specified",
            "\(root).properties[port].type: Invalid value: \"string\": must be empty if x-kubernetes-int-or-string is true",
            "\(root).properties[spec].type: Required value: must not be empty for specified object fields",
        ])
    }

    @Test func rootMustBeAnObject() {
        let errors = CustomResourceDefinitionChecks.errors(of: Self.crd(schema: ["type": "string"])).map(\.message)
        #expect(errors == [#"spec.versions[0].schema.openAPIV3Schema.type: Invalid value: "string": must be object at the root"#])
    }

    @Test func uncompilableRulesAreRefused() {
        let errors = CustomResourceDefinitionChecks.errors(of: Self.crd(schema: [
            "type": "object",
            "properties": ["spec": [
                "type": "object", "properties": ["replicas": ["type": "integer"]],
                "x-kubernetes-validations": [["rule": "self.replicas > 1"], ["rule": "self.nope > 1"]],
            ]],
        ]))
        #expect(errors.count == 1)
        #expect(errors.first?.field == "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[1].rule")
        #expect(errors.first?.message.contains("compilation failed") == true)
    }

    @Test func rulesAreEvaluatedWithMessagesAndTransitions() {
        let schema = CustomResourceSchema([
            "type": "object",
            "properties": ["spec": [
                "type": "object",
                "properties": ["replicas": ["type": "integer"], "max": ["type": "integer"], "mode": ["type": "string"]],
                "x-kubernetes-validations": [
                    ["rule": "self.replicas <= self.max", "messageExpression": "'replicas ' + string(self.replicas) + ' exceed ' + string(self.max)"],
                    ["rule": "self.mode == oldSelf.mode", "message": "mode is immutable", "fieldPath": ".mode"],
                ],
            ]],
        ])
        var compileErrors: [ValidationRuleTree.CompileError] = []
        let rules = ValidationRuleTree(schema: schema, errors: &compileErrors)
        #expect(compileErrors.isEmpty)
        let new: JSONValue = ["spec": ["replicas": 5, "max": 3, "mode": "b"]]
        #expect(rules.validate(new, old: nil).map(\.message) == [#"spec: Invalid value: "object": replicas 5 exceed 3"#])
        let old: JSONValue = ["spec": ["replicas": 1, "max": 3, "mode": "a"]]
        #expect(rules.validate(new, old: old).map(\.message) == [#"spec.mode: Invalid value: "object": mode is immutable"#])
    }

    @Test func scalarRulesShowTheSchemaType() {
        let schema = CustomResourceSchema(["type": "object", "properties": ["field": [
            "type": "string", "x-kubernetes-validations": [["rule": "self == oldSelf"]]]]])
        var compileErrors: [ValidationRuleTree.CompileError] = []
        let rules = ValidationRuleTree(schema: schema, errors: &compileErrors)
        #expect(rules.validate(["field": "y"], old: ["field": "x"]).map(\.message) == [#"field: Invalid value: "string": failed rule: self == oldSelf"#])
    }

    @Test func conflictingNamesAreNotAccepted() {
        let other: JSONValue = ["metadata": ["name": "bars.example.com"], "spec": ["group": "example.com"],
                                "status": ["acceptedNames": ["plural": "bars", "singular": "bar", "shortNames": ["b"], "kind": "Bar", "listKind": "BarList"]]]
        let names = CustomResourceDefinitionNames(group: "example.com", others: [other], builtins: [])
        let crd: JSONValue = ["spec": ["group": "example.com", "names": ["plural": "foos", "singular": "foo", "shortNames": ["b"], "kind": "Foo", "listKind": "FooList"]]]
        let status = names.status(of: crd, now: Timestamp(seconds: 0))
        let conditions = status["conditions"]?.arrayValue ?? []
        #expect(conditions.first?["reason"] == "ShortNamesConflict")
        #expect(conditions.first?["message"] == #""b" is already in use"#)
        #expect(conditions.last?["reason"] == "NotAccepted")
        #expect(status[path: "acceptedNames", "plural"] == "foos")
        #expect(status[path: "acceptedNames", "shortNames"] == nil)

        let free = CustomResourceDefinitionNames(group: "example.com", others: [], builtins: []).status(of: crd, now: Timestamp(seconds: 0))
        #expect(free["conditions"]?.arrayValue?.map { $0["reason"] } == ["NoConflicts", "InitialNamesAccepted"])
    }

    @Test func printerColumnsFormatCells() {
        let now = Timestamp(seconds: 1_000_000)
        let object: JSONValue = [
            "metadata": ["creationTimestamp": .string(Timestamp(seconds: 1_000_000 - 300).rfc3339)],
            "spec": ["replicas": 3, "ratio": 1.5],
            "status": ["conditions": [["type": "Ready", "status": "True"]]],
        ]
        func cell(_ type: String, _ path: String) -> JSONValue {
            PrinterColumn(json: ["name": "c", "type": .string(type), "jsonPath": .string(path)]).cell(for: object, now: now)
        }
        #expect(cell("integer", ".spec.replicas") == 3)
        #expect(cell("number", ".spec.ratio") == 1.5)
        #expect(cell("string", ".status.conditions[?(@.type==\"Ready\")].status") == "True")
        #expect(cell("date", ".metadata.creationTimestamp") == "5m")
        #expect(cell("string", ".spec.missing") == .null)
        #expect(cell("integer", ".spec.ratio") == 1)
        #expect(cell("date", ".spec.ratio") == .null)
        #expect(cell("boolean", ".spec.replicas") == .null)
    }
}
