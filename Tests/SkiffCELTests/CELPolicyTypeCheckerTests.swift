import SkiffAPI
import Testing
@testable import SkiffCEL

/// The policy type checker over schemas shaped as upstream's type checking tests: undefined
/// fields, operand types that no overload takes, params, message expressions, the authorizer,
/// variables typed by their expressions, and schemas that type nothing.
struct CELPolicyTypeCheckerTests {
    static func schema(_ properties: JSONValue) -> CELSchema {
        CELSchema(["type": "object", "properties": properties])
    }

    static func issues(_ expression: String, object: CELSchema?, params: CELSchema? = nil,
                       variables: [(name: String, expression: String)] = []) -> String? {
        let checker = CELPolicyTypeChecker(objectSchema: object, paramsSchema: params, variables: variables)
        return checker.issues(in: expression).map { "\($0)" }
    }

    @Test func undefinedFieldsAndMismatchedOperandsAreReportedInCelGosWords() {
        let foo = Self.schema(["foo": ["type": "string"]])
        #expect(Self.issues("object.foo == 'bar'", object: foo) == nil)
        #expect(Self.issues("object.foo == 'bar'", object: Self.schema(["bar": ["type": "string"]]))
            == "ERROR: <input>:1:7: undefined field 'foo'\n | object.foo == 'bar'\n | ......^")
        #expect(Self.issues("object.foo == 'bar'", object: Self.schema(["foo": ["type": "integer", "format": "int64"]]))
            == "ERROR: <input>:1:12: found no matching overload for '_==_' applied to '(int, string)'\n | object.foo == 'bar'\n | ...........^")
        #expect(Self.issues("object.foo + 114514", object: foo)?.contains("found no matching overload for '_+_' applied to '(string, int)'") == true)
        // oldObject has the object's type; apiVersion, kind and metadata.name are always there.
        #expect(Self.issues("oldObject.foo == object.foo && object.metadata.name != '' && object.kind == 'Deployment'", object: foo) == nil)
        #expect(Self.issues("object.metadata.labels == null", object: foo)?.contains("undefined field 'labels'") == true)
    }

    @Test func paramsAreTypedByTheirSchemaAndDynWithout() {
        let foo = Self.schema(["foo": ["type": "string"]])
        #expect(Self.issues("object.foo == params.bar", object: foo, params: foo)?.contains("undefined field 'bar'") == true)
        #expect(Self.issues("object.foo == params.bar", object: foo) == nil)
        #expect(Self.issues("params != null", object: foo, params: CELSchema(.emptyObject)) == nil)
    }

    @Test func theAuthorizerIsTyped() {
        let foo = Self.schema(["foo": ["type": "string"]])
        #expect(Self.issues("authorizer.group('').resource('endpoints').check('create').allowed()", object: foo) == nil)
        #expect(Self.issues("authorizer.allowed()", object: foo)?
            .contains("found no matching overload for 'allowed' applied to 'kubernetes.authorization.Authorizer.()'") == true)
    }

    @Test func requestAndNamespaceObjectHaveUpstreamsTypes() {
        let foo = Self.schema(["foo": ["type": "string"]])
        #expect(Self.issues("""
            request.operation == 'CREATE' && request.userInfo.groups.exists(g, g == 'admins') && request.kind.kind == 'Deployment' \
            && namespaceObject.metadata.labels['team'] == 'a' && namespaceObject.status.phase == 'Active' && request.options.anything
            """, object: foo) == nil)
        #expect(Self.issues("request.operatoin == 'CREATE'", object: foo)?.contains("undefined field 'operatoin'") == true)
        #expect(Self.issues("namespaceObject.metadata.uid != ''", object: foo)?.contains("undefined field 'uid'") == true)
        #expect(Self.issues("request.dryRun == 'true'", object: foo)?.contains("'_==_' applied to '(bool, string)'") == true)
    }

    @Test func schemasThatTypeNothingCheckEverything() {
        // additionalProperties: true, no type, int-or-string, preserve-unknown-fields.
        let loose = Self.schema([
            "spec": ["type": "object", "properties": ["text": ["type": "string"]]],
            "status": ["type": "object", "properties": ["problematic": ["type": "object", "additionalProperties": true]]],
            "port": ["type": "string", "format": "int-or-string"],
            "extra": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
        ])
        #expect(Self.issues("has(object.spec.text) && object.port == 80 && object.port == 'http' && object.extra.any.thing == 1", object: loose) == nil)
        #expect(Self.issues("true", object: CELSchema(.emptyObject)) == nil)
    }

    @Test func variablesAreTypedByTheirExpressionsInOrder() {
        let foo = Self.schema(["foo": ["type": "integer"]])
        #expect(Self.issues("variables.works", object: foo, variables: [("works", "true")]) == nil)
        #expect(Self.issues("variables.nonExisting", object: foo, variables: [("works", "true")])?.contains("undefined field 'nonExisting'") == true)
        #expect(Self.issues("variables.name == object.foo", object: foo, variables: [("name", "'something'")])?
            .contains("found no matching overload for '_==_' applied to '(string, int)'") == true)
        // A variable that does not check is dyn, and so is one holding a schema object.
        #expect(Self.issues("variables.name == object.foo", object: foo, variables: [("name", "object.foo == 'str'")]) == nil)
        #expect(Self.issues("variables.obj.anything", object: foo, variables: [("obj", "object")]) == nil)
        // Each variable sees those before it, with their types.
        #expect(Self.issues("variables.second", object: foo, variables: [("first", "[1, 2]"), ("second", "variables.first[0] + 'x'")]) == nil)
        #expect(Self.issues("variables.second + 1", object: foo, variables: [("first", "[1, 2]"), ("second", "variables.first[0] + 1")]) == nil)
        #expect(Self.issues("variables.second + 'x'", object: foo, variables: [("first", "[1, 2]"), ("second", "variables.first[0] + 1")])?
            .contains("'_+_' applied to '(int, string)'") == true)
    }
}
