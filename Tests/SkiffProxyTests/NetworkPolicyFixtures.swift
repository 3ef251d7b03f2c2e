import SkiffAPI
import SkiffModels

@testable import SkiffProxy

/// Pods, namespaces and policies as the network policy tests write them.
enum NetworkPolicyFixtures {
    static let node = "node-a"

    /// A running pod `name` in `namespace` at `ip` with `labels`, on `node`, its container's named `ports`.
    static func pod(
        _ name: String, namespace: String = "demo", ip: String, labels: [String: String] = [:], node: String = NetworkPolicyFixtures.node,
        ports: JSONValue = []
    ) -> CoreV1.Pod {
        ([
            "apiVersion": "v1", "kind": "Pod",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "labels": .object(labels.mapValues { .string($0) })],
            "spec": ["nodeName": .string(node), "containers": [["name": "main", "image": "busybox", "ports": ports]]],
            "status": ["phase": "Running", "podIP": .string(ip)],
        ] as JSONValue).typed()
    }

    static func namespace(_ name: String, labels: [String: String] = [:]) -> CoreV1.Namespace {
        (["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name), "labels": .object(labels.mapValues { .string($0) })]] as JSONValue).typed()
    }

    /// A policy `name` in `namespace` with `spec`.
    static func policy(_ name: String, namespace: String = "demo", _ spec: JSONValue) -> NetworkingV1.NetworkPolicy {
        ([
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "spec": spec,
        ] as JSONValue).typed()
    }

    /// The ruleset of `policies` over `pods` in the namespaces `demo` and `other` (labelled `team: other`).
    static func ruleset(_ policies: [NetworkingV1.NetworkPolicy], _ pods: [CoreV1.Pod]) -> NFTRuleset {
        NetworkPolicyRulesetBuilder(nodeName: node).build(
            policies: policies, pods: pods, namespaces: [namespace("demo"), namespace("other", labels: ["team": "other"])])
    }
}
