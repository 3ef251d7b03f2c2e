import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import SkiffTesting
import Testing

/// `status.typeChecking` of ValidatingAdmissionPolicies: the kinds a policy's rules name, the
/// warnings of its validations against those kinds' schemas in upstream's format, and the status
/// controller writing them with `observedGeneration`.
@Suite struct PolicyTypeCheckingTests {
    static let policies = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies"

    static func rule(_ groups: JSONValue, _ versions: JSONValue, _ resources: JSONValue) -> JSONValue {
        ["operations": ["CREATE"], "apiGroups": groups, "apiVersions": versions, "resources": resources]
    }

    static func policy(_ rules: [JSONValue], validations: JSONValue, extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["matchConstraints": ["resourceRules": .array(rules)], "validations": validations]
        for (key, value) in extra { spec[key] = value }
        return ["metadata": ["name": "typed"], "spec": spec]
    }

    @Test func kindsComeFromRulesWithoutWildcardsSorted() async throws {
        try await APIServerHarness.with(.router) { server in
            let checking = PolicyTypeChecking(registry: server.registry)
            let policy = Self.policy([
                Self.rule(["apps"], ["v1"], ["deployments", "deployments/scale", "*"]), Self.rule([""], ["v1"], ["pods", "nothings"]),
                Self.rule(["apps"], ["*"], ["statefulsets"]), Self.rule(["*"], ["v1"], ["configmaps"]),
            ], validations: [["expression": "true"]])
            #expect(checking.kindsToCheck(policy).map(\.goDescription) == ["/v1, Kind=Pod", "apps/v1, Kind=Deployment"])
            #expect(checking.kindsToCheck(Self.policy([], validations: [])).isEmpty)
        }
    }

    @Test func warningsNameEachKindWhoseSchemaRefusesTheExpression() async throws {
        try await APIServerHarness.with(.router) { server in
            let checking = PolicyTypeChecking(registry: server.registry)
            let deployments = Self.policy([Self.rule(["apps"], ["v1"], ["deployments"])], validations: [
                ["expression": "object.spec.replicas <= 5 && object.metadata.labels.app != ''"],
                ["expression": "object.spec.replicaz > 1", "messageExpression": "object.spec.replicas + 'x'"],
                ["expression": "object.spec.template.spec.containers.all(c, c.image.startsWith('registry/'))",
                 "messageExpression": "'too many: ' + string(object.spec.replicas)"],
            ])
            #expect(checking.warnings(for: deployments) == [
                .init(fieldRef: "spec.validations[1].expression", warning: """
                    apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicaz'
                     | object.spec.replicaz > 1
                     | ...........^

                    """),
                .init(fieldRef: "spec.validations[1].messageExpression", warning: """
                    apps/v1, Kind=Deployment: ERROR: <input>:1:22: found no matching overload for '_+_' applied to '(int, string)'
                     | object.spec.replicas + 'x'
                     | .....................^

                    """),
            ])
            // ConfigMaps have no `type`, Secrets do; neither has `nope`: one kind's warning after the other's.
            let both = Self.policy([Self.rule([""], ["v1"], ["secrets", "configmaps"])], validations: [
                ["expression": "object.type == 'Opaque'"], ["expression": "object.nope"],
            ])
            let warnings = checking.warnings(for: both)
            #expect(warnings.map(\.fieldRef) == ["spec.validations[0].expression", "spec.validations[1].expression"])
            #expect(warnings.first?.warning.hasPrefix("/v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'type'\n") == true)
            #expect(warnings.last?.warning == """
                /v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'nope'
                 | object.nope
                 | ......^

                /v1, Kind=Secret: ERROR: <input>:1:7: undefined field 'nope'
                 | object.nope
                 | ......^

                """)
            // A rule with a wildcard version types nothing: no warnings.
            #expect(checking.warnings(for: Self.policy([Self.rule([""], ["*"], ["configmaps"])], validations: [["expression": "object.nope"]])).isEmpty)
        }
    }

    @Test func paramsAndVariablesAreTyped() async throws {
        try await APIServerHarness.with(.router) { server in
            let checking = PolicyTypeChecking(registry: server.registry)
            let policy = Self.policy([Self.rule([""], ["v1"], ["configmaps"])], validations: [
                ["expression": "params.data.limit == object.data.limit"], ["expression": "params.spec.limit == 1"],
                ["expression": "variables.count > 1"], ["expression": "variables.count == 'x'"], ["expression": "variables.missing"],
            ], extra: [
                "paramKind": ["apiVersion": "v1", "kind": "ConfigMap"],
                "variables": [["name": "count", "expression": "size(object.data)"]],
            ])
            let warnings = checking.warnings(for: policy)
            #expect(warnings.map(\.fieldRef) == ["spec.validations[1].expression", "spec.validations[3].expression", "spec.validations[4].expression"])
            #expect(warnings.map { $0.warning.split(separator: "\n").first ?? "" } == [
                "/v1, Kind=ConfigMap: ERROR: <input>:1:7: undefined field 'spec'",
                "/v1, Kind=ConfigMap: ERROR: <input>:1:17: found no matching overload for '_==_' applied to '(int, string)'",
                "/v1, Kind=ConfigMap: ERROR: <input>:1:10: undefined field 'missing'",
            ])
        }
    }

    @Test func theControllerRecordsWarningsForEachNewGeneration() async throws {
        try await APIServerHarness.with(.router) { server in
            let store = try #require(server.registry.store(for: GroupResource(group: "admissionregistration.k8s.io", resource: "validatingadmissionpolicies")))
            let controller = PolicyStatusController(registry: server.registry, clock: SystemClock(), logger: InProcessCluster.quietLogger)
            let created = try await server.send(.POST, Self.policies, json: Self.policy(
                [Self.rule(["apps"], ["v1"], ["deployments"])], validations: [["expression": "object.spec.replicaz > 1"]]))
            #expect(created.status == 201, "\(created.text)")
            await controller.reconcile(try created.json(), in: store)
            var policy = try await server.send(.GET, Self.policies + "/typed").json()
            #expect(policy[path: "status", "observedGeneration"] == 1)
            let warnings = policy[path: "status", "typeChecking", "expressionWarnings"]?.arrayValue ?? []
            #expect(warnings.map { $0["fieldRef"] } == ["spec.validations[0].expression"])
            #expect(warnings.first?["warning"]?.stringValue?.hasPrefix("apps/v1, Kind=Deployment: ERROR: <input>:1:12: undefined field 'replicaz'") == true)
            #expect(policy[path: "metadata", "managedFields"]?.arrayValue?.contains { $0["manager"] == "validatingadmissionpolicy-status-controller" } == true)

            // A generation already observed is left alone.
            let checked = policy.resourceVersion
            await controller.reconcile(policy, in: store)
            #expect(try await server.send(.GET, Self.policies + "/typed").json().resourceVersion == checked)

            // The typo fixed: the next generation has no warnings.
            policy[path: "spec", "validations"] = [["expression": "object.spec.replicas > 1"]]
            let updated = try await server.send(.PUT, Self.policies + "/typed", json: policy)
            #expect(updated.status == 200, "\(updated.text)")
            await controller.reconcile(try updated.json(), in: store)
            policy = try await server.send(.GET, Self.policies + "/typed").json()
            #expect(policy[path: "status", "observedGeneration"] == 2)
            #expect(policy[path: "status", "typeChecking"] == .emptyObject)
        }
    }
}
