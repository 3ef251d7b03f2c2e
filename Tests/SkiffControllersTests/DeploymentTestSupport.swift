import SkiffAPI
import SkiffClient
import SkiffTesting

/// Deployments in the test cluster, and the pod readiness a kubelet would report.
extension InProcessCluster {
    static let deploymentsResource = GroupVersionResource(group: "apps", version: "v1", resource: "deployments")

    func deployments(_ namespace: String = "default") -> ResourceClient<JSONValue> {
        resource(Self.deploymentsResource, namespace: namespace)
    }

    /// A Deployment of `replicas` pods running `image`, labelled `app: <name>`.
    static func deployment(_ name: String, replicas: Int64, image: String = "nginx:1", strategy: JSONValue? = nil) -> JSONValue {
        var deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                "template": [
                    "metadata": ["labels": ["app": .string(name)]],
                    "spec": ["containers": [["name": "app", "image": .string(image)]]],
                ],
            ],
        ]
        if let strategy { deployment[path: "spec", "strategy"] = strategy }
        return deployment
    }

    /// Sets a new image in the Deployment's template.
    func setImage(_ deployment: String, _ image: String) async throws {
        let patch: JSONValue = ["spec": ["template": ["spec": ["containers": [["name": "app", "image": .string(image)]]]]]]
        _ = try await deployments().patch(deployment, type: .strategicMerge, patch: patch)
    }

    /// The live pods (not being deleted) `selector` selects.
    func livePods(_ selector: String) async throws -> [JSONValue] {
        try await pods().list(ListOptions(labelSelector: selector)).items.filter { $0.deletionTimestamp == nil }
    }

    /// Reports up to `limit` not-ready pods that `selector` selects as running and ready, as a
    /// kubelet would; returns how many it changed.
    @discardableResult
    func makePodsReady(_ selector: String, limit: Int = .max) async throws -> Int {
        var changed = 0
        for var pod in try await livePods(selector) where !pod.isReady && changed < limit {
            pod["status"] = [
                "phase": "Running",
                "conditions": [["type": "Ready", "status": "True", "lastTransitionTime": .string(Timestamp.now().rfc3339)]],
            ]
            do {
                _ = try await pods().updateStatus(pod)
                changed += 1
            } catch let error as APIError where error.isNotFound || error.isConflict {
                continue
            }
        }
        return changed
    }

    /// The ReplicaSets the Deployment controls, oldest first.
    func replicaSets(of deployment: JSONValue) async throws -> [JSONValue] {
        try await replicaSets().list().items.filter { $0.isControlled(by: deployment.uid ?? "") }
            .sorted { ($0.annotations["deployment.kubernetes.io/revision"].flatMap { Int($0) } ?? 0) < ($1.annotations["deployment.kubernetes.io/revision"].flatMap { Int($0) } ?? 0) }
    }

    /// Makes the selected pods ready until the Deployment's rollout is complete (what `kubectl
    /// rollout status` waits for); returns the Deployment.
    @discardableResult
    func completeRollout(_ name: String, selector: String? = nil) async throws -> JSONValue {
        try await waitUntil("the rollout of \(name) complete") {
            try await makePodsReady(selector ?? "app=\(name)")
            return Self.isRolledOut(try await deployments().get(name))
        }
        return try await deployments().get(name)
    }

    /// `kubectl rollout status`'s test: observed, every replica updated and available, no old ones.
    static func isRolledOut(_ deployment: JSONValue) -> Bool {
        let status = deployment["status"] ?? .emptyObject
        let desired = deployment[path: "spec", "replicas"]?.intValue ?? 1
        func count(_ field: String) -> Int64 { status[field]?.intValue ?? 0 }
        return count("observedGeneration") >= (deployment.generation ?? 0) && count("updatedReplicas") == desired
            && count("replicas") == desired && count("availableReplicas") == desired
    }

    /// The Deployment's condition of `type`.
    static func condition(_ type: String, of deployment: JSONValue) -> JSONValue? {
        deployment[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// The reasons and messages of the events about `name`.
    func events(about name: String) async throws -> [(reason: String, message: String)] {
        try await resource(GroupVersionResource(group: "", version: "v1", resource: "events"), namespace: "default").list().items
            .filter { $0[path: "involvedObject", "name"]?.stringValue == name }
            .map { ($0["reason"]?.stringValue ?? "", $0["message"]?.stringValue ?? "") }
    }
}

extension JSONValue {
    /// Whether the pod's `Ready` condition is `True`.
    var isReady: Bool {
        self[path: "status", "conditions"]?.arrayValue?.contains { $0["type"] == "Ready" && $0["status"] == "True" } ?? false
    }
}
