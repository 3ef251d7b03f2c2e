import MetricsTestKit
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import SkiffTesting
import Testing

/// The user the `X-Test-User` header names (`jane` is an ordinary authenticated user); without
/// it, an administrator in `system:masters`.
struct HeaderAuthenticator: Authenticator {
    func authenticate(_ request: HTTPRequest) async throws -> UserInfo? {
        guard let name = request.headers.first(name: "X-Test-User") else {
            return UserInfo(name: "admin", groups: [UserInfo.privilegedGroup, UserInfo.allAuthenticated])
        }
        return UserInfo(name: name, groups: [UserInfo.allAuthenticated])
    }
}

@Suite struct PriorityAndFairnessTests {
    private static let flowcontrol = "/apis/flowcontrol.apiserver.k8s.io/v1"
    private static let jane: HTTPHeaders = ["X-Test-User": "jane"]
    private static let held: JSONValue = ["metadata": ["name": "held"]]
    private static let configMaps = "/api/v1/namespaces/default/configmaps"

    private static func uid(_ server: APIServerHarness, _ resource: String, _ name: String) async throws -> String {
        try await server.send(.GET, "\(flowcontrol)/\(resource)/\(name)").json().uid ?? ""
    }

    /// A `tiny` level answering as `limitResponse` says and a schema sending jane there; returns
    /// once jane's requests are classified to it.
    private static func configureTinyLevel(_ server: APIServerHarness, limitResponse: JSONValue) async throws {
        let level: JSONValue = ["metadata": ["name": "tiny"], "spec": ["type": "Limited", "limited": [
            "nominalConcurrencyShares": 1, "limitResponse": limitResponse,
        ]]]
        #expect(try await server.send(.POST, "\(flowcontrol)/prioritylevelconfigurations", json: level).status == 201)
        let schema: JSONValue = ["metadata": ["name": "tiny"], "spec": [
            "matchingPrecedence": 100, "priorityLevelConfiguration": ["name": "tiny"], "distinguisherMethod": ["type": "ByUser"],
            "rules": [["subjects": [["kind": "User", "user": ["name": "jane"]]],
                       "resourceRules": [["verbs": ["*"], "apiGroups": ["*"], "resources": ["*"], "namespaces": ["*"], "clusterScope": true]]]],
        ]]
        let created = try await server.send(.POST, "\(flowcontrol)/flowschemas", json: schema)
        let uid = try created.json().uid
        try await waitUntil("jane's requests go to the tiny level") {
            try await server.send(.GET, configMaps, headers: jane).headers.first(name: "X-Kubernetes-PF-FlowSchema-UID") == uid
        }
    }

    private static func options(clock: any TimestampClock = SystemClock(), metrics: TestMetrics = TestMetrics()) -> (APIServer.Options, GatePlugin) {
        let gate = GatePlugin()
        var options = APIServer.Options()
        options.authenticator = HeaderAuthenticator()
        options.maxRequestsInFlight = 1
        options.maxMutatingRequestsInFlight = 1
        options.admissionPlugins = { _ in AdmissionChain(mutating: [gate]) }
        options.clock = clock
        options.metricsFactory = metrics
        return (options, gate)
    }

    @Test(arguments: Transport.allCases)
    func responsesNameTheSchemaAndLevel(_ transport: Transport) async throws {
        var options = APIServer.Options()
        options.authenticator = HeaderAuthenticator()
        try await APIServerHarness.with(transport, options: options) { server in
            let names = try await server.send(.GET, "\(Self.flowcontrol)/flowschemas").json()["items"]?.arrayValue?.compactMap(\.name) ?? []
            #expect(Set(names) == ["exempt", "probes", "system-leader-election", "endpoint-controller", "workload-leader-election",
                                   "system-node-high", "system-nodes", "kube-controller-manager", "kube-scheduler",
                                   "kube-system-service-accounts", "service-accounts", "global-default", "catch-all"])
            let jane = try await server.send(.GET, Self.configMaps, headers: Self.jane)
            let globalDefault = (try await Self.uid(server, "flowschemas", "global-default"), try await Self.uid(server, "prioritylevelconfigurations", "global-default"))
            #expect(jane.headers.first(name: "X-Kubernetes-PF-FlowSchema-UID") == globalDefault.0)
            #expect(jane.headers.first(name: "X-Kubernetes-PF-PriorityLevel-UID") == globalDefault.1)
            let admin = try await server.send(.GET, Self.configMaps)
            let exempt = try await Self.uid(server, "prioritylevelconfigurations", "exempt")
            #expect(admin.headers.first(name: "X-Kubernetes-PF-PriorityLevel-UID") == exempt)
        }
    }

    @Test(arguments: Transport.allCases)
    func aLevelWithEverySeatTakenRejectsButExemptRequestsPass(_ transport: Transport) async throws {
        let metrics = TestMetrics()
        let (options, gate) = Self.options(metrics: metrics)
        try await APIServerHarness.with(transport, options: options) { server in
            try await Self.configureTinyLevel(server, limitResponse: ["type": "Reject"])
            try await withThrowingTaskGroup(of: TestResponse.self) { group in
                group.addTask { try await server.send(.POST, Self.configMaps, json: Self.held, headers: Self.jane) }
                try await waitUntil("jane's create holds the tiny level's seat") { gate.arrived.load(ordering: .relaxed) == 1 }
                let refused = try await server.send(.GET, Self.configMaps, headers: Self.jane)
                #expect(refused.status == 429)
                #expect(refused.headers.first(name: "Retry-After") == "1")
                #expect(refused.text == "Too many requests, please try again later.\n")
                let tiny = try await Self.uid(server, "flowschemas", "tiny")
                #expect(refused.headers.first(name: "X-Kubernetes-PF-FlowSchema-UID") == tiny)
                #expect(try await server.send(.POST, Self.configMaps, json: ["metadata": ["name": "by-admin"]]).status == 201)
                gate.release()
                #expect(try await group.next()?.status == 201)
            }
            #expect(metrics.counterTotal(label: "apiserver_flowcontrol_rejected_requests_total", dimensions: [
                ("flow_schema", "tiny"), ("priority_level", "tiny"), ("reason", "concurrency-limit"),
            ]) == 1)
            // Two seats shared out by 246 shares: one for each limited level, none for exempt.
            let nominal = try metrics.expectGauge("apiserver_flowcontrol_nominal_limit_seats", [("priority_level", "tiny")])
            #expect(nominal.lastValue == 1)
            #expect(try await server.send(.GET, Self.configMaps, headers: Self.jane).status == 200)
        }
    }

    @Test(arguments: Transport.allCases)
    func queuedRequestsWaitForASeatOrTimeOut(_ transport: Transport) async throws {
        let clock = ManualClock()
        let (options, gate) = Self.options(clock: clock)
        try await APIServerHarness.with(transport, options: options) { server in
            try await Self.configureTinyLevel(server, limitResponse: [
                "type": "Queue", "queuing": ["queues": 1, "handSize": 1, "queueLengthLimit": 1],
            ])
            try await withThrowingTaskGroup(of: TestResponse.self) { group in
                group.addTask { try await server.send(.POST, Self.configMaps, json: Self.held, headers: Self.jane) }
                try await waitUntil("jane's create holds the tiny level's seat") { gate.arrived.load(ordering: .relaxed) == 1 }
                let timingOut = Task { try await server.send(.GET, Self.configMaps, headers: Self.jane) }
                try await waitUntil("a list waits in the queue") { clock.sleeperCount == 1 }
                #expect(try await server.send(.GET, Self.configMaps, headers: Self.jane).status == 429, "the queue is full")
                clock.advance(by: .seconds(15))
                #expect(try await timingOut.value.status == 429)
                let waiting = Task { try await server.send(.GET, Self.configMaps, headers: Self.jane) }
                try await waitUntil("a second list waits in the queue") { clock.sleeperCount == 1 }
                gate.release()
                #expect(try await group.next()?.status == 201)
                #expect(try await waiting.value.status == 200)
            }
        }
    }
}

@Suite struct FlowControlConfigurationTests {
    private static func level(_ server: APIServerHarness, _ name: String) async throws -> JSONValue {
        try await server.send(.GET, "/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations/\(name)").json()
    }

    private static func edit(_ server: APIServerHarness, _ name: String, shares: Int64, annotation: String?) async throws {
        let store = try #require(server.registry.store(for: GroupResource(group: "flowcontrol.apiserver.k8s.io", resource: "prioritylevelconfigurations")))
        _ = try await store.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions()) { current in
            var updated = current
            updated[path: "spec", "limited", "nominalConcurrencyShares"] = .int(shares)
            updated[path: "metadata", "annotations"] = annotation.map { ["apf.kubernetes.io/autoupdate-spec": .string($0)] } ?? .emptyObject
            return updated
        }
    }

    @Test func bootstrapObjectsAreKeptAsTheirAnnotationSays() async throws {
        try await APIServerHarness.with(.router) { server in
            try await Self.edit(server, "catch-all", shares: 50, annotation: "false")
            try await Self.edit(server, "workload-low", shares: 7, annotation: "false")
            try await Self.edit(server, "global-default", shares: 9, annotation: nil)
            try await Self.edit(server, "system", shares: 11, annotation: "true")
            #expect(try await server.send(.DELETE, "/apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfigurations/node-high").status == 200)
            for (name, annotated) in [("stray", true), ("mine", false)] {
                var schema: JSONValue = ["metadata": ["name": .string(name)], "spec": ["priorityLevelConfiguration": ["name": "global-default"]]]
                if annotated { schema[path: "metadata", "annotations"] = ["apf.kubernetes.io/autoupdate-spec": "true"] }
                #expect(try await server.send(.POST, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas", json: schema).status == 201)
            }
            try await waitUntil("the flow schemas are in the cache") {
                try await server.send(.GET, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas").json()["items"]?.arrayValue?.count == 15
            }

            try await FlowControlConfigurationEnsurer(registry: server.registry, logger: InProcessCluster.quietLogger).run()

            func shares(_ name: String) async throws -> JSONValue? { try await Self.level(server, name)[path: "spec", "limited", "nominalConcurrencyShares"] }
            func annotation(_ name: String) async throws -> String? { try await Self.level(server, name).annotations["apf.kubernetes.io/autoupdate-spec"] }
            // Mandatory: always restored.
            #expect(try await shares("catch-all") == 5)
            #expect(try await annotation("catch-all") == "true")
            // Suggested: kept when the annotation says false, or is gone from a changed object.
            #expect(try await shares("workload-low") == 7)
            #expect(try await shares("global-default") == 9)
            #expect(try await annotation("global-default") == "false")
            #expect(try await shares("system") == 30)
            #expect(try await shares("node-high") == 40)
            #expect(try await server.send(.GET, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/stray").status == 404)
            #expect(try await server.send(.GET, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/mine").status == 200)
        }
    }

    @Test func flowSchemasSayWhetherTheirLevelExists() async throws {
        try await APIServerHarness.with(.router) { server in
            let schema: JSONValue = ["metadata": ["name": "to-nowhere"], "spec": ["priorityLevelConfiguration": ["name": "missing"]]]
            #expect(try await server.send(.POST, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas", json: schema).status == 201)
            let maintainer = FlowSchemaStatusMaintainer(registry: server.registry, clock: ManualClock(), logger: InProcessCluster.quietLogger)
            func dangling(_ name: String) async throws -> JSONValue? {
                let schema = try await server.send(.GET, "/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas/\(name)").json()
                return schema[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Dangling" }
            }
            try await waitUntil("every schema has its condition") {
                await maintainer.maintain()
                let missing = try await dangling("to-nowhere")
                let found = try await dangling("global-default")
                return missing != nil && found != nil
            }
            let missing = try await dangling("to-nowhere")
            #expect(missing?["status"] == "True")
            #expect(missing?["reason"] == "NotFound")
            #expect(missing?["message"] == #"This FlowSchema references the PriorityLevelConfiguration object named "missing" but there is no such object"#)
            #expect(missing?["lastTransitionTime"] == "2023-11-14T22:13:20Z")
            let found = try await dangling("global-default")
            #expect(found?["status"] == "False")
            #expect(found?["reason"] == "Found")
        }
    }
}
