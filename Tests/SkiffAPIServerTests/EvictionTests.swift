import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import Testing

/// `pods/eviction` against PodDisruptionBudgets, and the `bindings` collection.
@Suite struct EvictionTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let budgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"

    /// A pod labelled `app: web` in `phase`, ready when running, bound to a node unless pending
    /// (so that deleting it is graceful).
    static func createPod(_ name: String, phase: String = "Running", on server: APIServerHarness) async throws {
        var pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": "web"]],
            "spec": ["containers": [["name": "web", "image": "nginx"]]],
        ]
        if phase != "Pending" { pod[path: "spec", "nodeName"] = "n1" }
        var created = try await server.send(.POST, pods, json: pod).json()
        created["status"] = [
            "phase": .string(phase),
            "conditions": [["type": "Ready", "status": phase == "Running" ? "True" : "False"]],
        ]
        #expect(try await server.send(.PUT, "\(pods)/\(name)/status", json: created).status == 200)
    }

    /// A budget selecting `app: web` whose status (as its controller would write it) allows `allowed` disruptions.
    static func createBudget(_ name: String, allowed: Int64, on server: APIServerHarness) async throws {
        let budget: JSONValue = [
            "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": .string(name)],
            "spec": ["minAvailable": 1, "selector": ["matchLabels": ["app": "web"]]],
        ]
        var created = try await server.send(.POST, budgets, json: budget).json()
        created["status"] = [
            "currentHealthy": .int(1 + allowed), "desiredHealthy": 1, "disruptionsAllowed": .int(allowed), "expectedPods": .int(1 + allowed),
            "observedGeneration": 1,
        ]
        #expect(try await server.send(.PUT, "\(budgets)/\(name)/status", json: created).status == 200)
    }

    static func eviction(_ name: String, dryRun: Bool = false) -> JSONValue {
        var eviction: JSONValue = ["apiVersion": "policy/v1", "kind": "Eviction", "metadata": ["name": .string(name), "namespace": "default"]]
        if dryRun { eviction["deleteOptions"] = ["dryRun": ["All"]] }
        return eviction
    }

    @Test func aBudgetWithoutDisruptionsRefusesThenOneThatAllowsIsUsedUp() async throws {
        try await APIServerHarness.with(.router) { server async throws in
            try await Self.createPod("web-1", on: server)
            try await Self.createBudget("web", allowed: 0, on: server)
            let refused = try await server.send(.POST, "\(Self.pods)/web-1/eviction", json: Self.eviction("web-1"))
            #expect(refused.status == 429)
            let status = try refused.json()
            #expect(status["reason"] == "TooManyRequests")
            #expect(status["message"] == "Cannot evict pod as it would violate the pod's disruption budget.")
            #expect(status[path: "details", "causes"] == [["reason": "DisruptionBudget", "message": "The disruption budget web needs 1 healthy pods and has 1 currently"]])

            var budget = try await server.send(.GET, "\(Self.budgets)/web").json()
            budget[path: "status", "disruptionsAllowed"] = 1
            #expect(try await server.send(.PUT, "\(Self.budgets)/web/status", json: budget).status == 200)
            // A dry run changes nothing.
            #expect(try await server.send(.POST, "\(Self.pods)/web-1/eviction?dryRun=All", json: Self.eviction("web-1")).status == 201)
            #expect(try await server.send(.GET, "\(Self.pods)/web-1").json().deletionTimestamp == nil)
            #expect(try await server.send(.GET, "\(Self.budgets)/web").json()[path: "status", "disruptionsAllowed"] == 1)

            let evicted = try await server.send(.POST, "\(Self.pods)/web-1/eviction", json: Self.eviction("web-1"))
            #expect(evicted.status == 201)
            #expect(try evicted.json()["status"] == "Success")
            let pod = try await server.send(.GET, "\(Self.pods)/web-1").json()
            #expect(pod.deletionTimestamp != nil)
            let target = (pod[path: "status", "conditions"]?.arrayValue ?? []).first { $0["type"] == "DisruptionTarget" }
            #expect(target?["reason"] == "EvictionByEvictionAPI" && target?["message"] == "Eviction API: evicting")
            let used = try await server.send(.GET, "\(Self.budgets)/web").json()
            #expect(used[path: "status", "disruptionsAllowed"] == 0)
            #expect(used[path: "status", "disruptedPods", "web-1"] != nil)
            let condition = (used[path: "status", "conditions"]?.arrayValue ?? []).first
            #expect(condition?["type"] == "DisruptionAllowed" && condition?["status"] == "False" && condition?["reason"] == "InsufficientPods")
        }
    }

    @Test func finishedPodsGoRegardlessAndTwoBudgetsAreAnError() async throws {
        try await APIServerHarness.with(.router) { server async throws in
            try await Self.createPod("done", phase: "Succeeded", on: server)
            try await Self.createPod("web-1", on: server)
            try await Self.createBudget("a", allowed: 0, on: server)
            #expect(try await server.send(.POST, "\(Self.pods)/done/eviction", json: Self.eviction("done")).status == 201)
            try await Self.createBudget("b", allowed: 1, on: server)
            let refused = try await server.send(.POST, "\(Self.pods)/web-1/eviction", json: Self.eviction("web-1"))
            #expect(refused.status == 500)
            #expect(try refused.json()["message"] == "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.")
            let mismatch = try await server.send(.POST, "\(Self.pods)/web-1/eviction", json: Self.eviction("other"))
            #expect(mismatch.status == 400)
            #expect(try mismatch.json()["message"] == "name in URL does not match name in Eviction object")
        }
    }

    @Test func aPodWithoutBudgetIsEvictedAndABudgetNotYetObservedRefuses() async throws {
        try await APIServerHarness.with(.router) { server async throws in
            try await Self.createPod("web-1", on: server)
            #expect(try await server.send(.POST, "\(Self.pods)/web-1/eviction", json: Self.eviction("web-1")).status == 201)
            try await Self.createPod("web-2", on: server)
            let budget: JSONValue = [
                "apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": ["name": "fresh"],
                "spec": ["maxUnavailable": 1, "selector": ["matchLabels": ["app": "web"]]],
            ]
            #expect(try await server.send(.POST, Self.budgets, json: budget).status == 201)
            let refused = try await server.send(.POST, "\(Self.pods)/web-2/eviction", json: Self.eviction("web-2"))
            #expect(refused.status == 429)
            #expect(refused.headers.first(name: "Retry-After") == "10")
            #expect(try refused.json()[path: "details", "causes"] == [
                ["reason": "DisruptionBudget", "message": "The disruption budget fresh is still being processed by the server."],
            ])
        }
    }

    @Test func theBindingsCollectionBindsThePodItNames() async throws {
        try await APIServerHarness.with(.router) { server async throws in
            try await Self.createPod("web-1", phase: "Pending", on: server)
            let binding: JSONValue = [
                "apiVersion": "v1", "kind": "Binding", "metadata": ["name": "web-1"], "target": ["kind": "Node", "name": "n1"],
            ]
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/bindings", json: binding).status == 201)
            #expect(try await server.send(.GET, "\(Self.pods)/web-1").json()[path: "spec", "nodeName"] == "n1")
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/bindings", json: binding).status == 409)
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/bindings").status == 405)
            let resources = try await server.send(.GET, "/api/v1").json()["resources"]?.arrayValue ?? []
            let bindings = resources.first { $0["name"] == "bindings" }
            #expect(bindings?["kind"] == "Binding" && bindings?["verbs"] == ["create"])
            let eviction = resources.first { $0["name"] == "pods/eviction" }
            #expect(eviction?["group"] == "policy" && eviction?["version"] == "v1" && eviction?["kind"] == "Eviction")
        }
    }
}
