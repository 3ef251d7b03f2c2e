import SkiffAPI

/// The Node object a kubelet registers and the status it reports, as upstream's kubelet builds
/// them (`kubelet_node_status.go` and its setters): default labels, capacity and allocatable,
/// the pressure conditions and `Ready`, addresses, daemon endpoints, node info.
struct NodeStatusBuilder: Sendable {
    let name: String
    let internalIP: String
    let podCIDR: String
    let configuration: NodeConfiguration
    let runtimeVersion: String
    /// The node's identity for `nodeInfo` (stable across restarts of the same node name).
    var machineID: String { String(HexDigest.of("machine:" + name).prefix(32)) }

    /// The labels a kubelet always sets (upstream's `updateDefaultLabels` keeps them current).
    var defaultLabels: [String: String] {
        var labels = [
            "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "kubernetes.io/arch": NodeConfiguration.architecture,
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": NodeConfiguration.architecture,
        ]
        if let instanceType = configuration.instanceType {
            labels["node.kubernetes.io/instance-type"] = instanceType
            labels["beta.kubernetes.io/instance-type"] = instanceType
        }
        return labels.merging(configuration.labels) { _, extra in extra }
    }

    /// The Node to create at registration.
    func initialNode(now: Timestamp) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Node",
            "metadata": [
                "name": .string(name), "labels": .object(defaultLabels.mapValues(JSONValue.string)),
                "annotations": ["node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true"],
            ],
            "spec": ["podCIDR": .string(podCIDR), "podCIDRs": [.string(podCIDR)]],
            "status": status(previous: nil, now: now),
        ]
    }

    /// The status to report at `now`; conditions keep their `lastTransitionTime` from
    /// `previous` while their status stays the same.
    func status(previous: JSONValue?, now: Timestamp) -> JSONValue {
        let resources: JSONValue = [
            "cpu": .string(configuration.cpu), "memory": .string(configuration.memory), "pods": .string(configuration.pods),
            "ephemeral-storage": .string(configuration.ephemeralStorage), "hugepages-1Gi": "0", "hugepages-2Mi": "0",
        ]
        let conditions: [(type: String, status: String, reason: String, message: String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        let previousConditions = previous?["conditions"]?.arrayValue ?? []
        return [
            "capacity": resources, "allocatable": resources,
            "conditions": .array(conditions.map { condition -> JSONValue in
                let old = previousConditions.first { $0["type"]?.stringValue == condition.type }
                let transition = old?["status"]?.stringValue == condition.status ? old?["lastTransitionTime"] : nil
                return [
                    "type": .string(condition.type), "status": .string(condition.status), "reason": .string(condition.reason),
                    "message": .string(condition.message), "lastHeartbeatTime": .string(now.rfc3339),
                    "lastTransitionTime": transition ?? .string(now.rfc3339),
                ]
            }),
            "addresses": [["type": "InternalIP", "address": .string(internalIP)], ["type": "Hostname", "address": .string(name)]],
            "daemonEndpoints": ["kubeletEndpoint": ["Port": .int(configuration.kubeletPort)]],
            "nodeInfo": [
                "machineID": .string(machineID), "systemUUID": .string(Self.uuid(from: HexDigest.of("system:" + name))),
                "bootID": .string(Self.uuid(from: HexDigest.of("boot:" + name))), "kernelVersion": .string(configuration.kernelVersion),
                "osImage": .string(configuration.osImage), "containerRuntimeVersion": .string(runtimeVersion),
                "kubeletVersion": .string(configuration.kubeletVersion), "kubeProxyVersion": "", "operatingSystem": "linux",
                "architecture": .string(NodeConfiguration.architecture),
            ],
        ]
    }

    /// Whether `current` needs writing for `computed` to be reported: anything but the
    /// heartbeat times differs.
    static func needsUpdate(current: JSONValue?, computed: JSONValue) -> Bool {
        func withoutHeartbeats(_ status: JSONValue?) -> JSONValue? {
            guard var status else { return nil }
            if let conditions = status["conditions"]?.arrayValue {
                status["conditions"] = .array(conditions.map { condition in
                    var condition = condition
                    condition["lastHeartbeatTime"] = nil
                    return condition
                })
            }
            status["images"] = nil
            return status
        }
        return withoutHeartbeats(current) != withoutHeartbeats(computed)
    }

    /// `8-4-4-4-12` from 32 hex digits.
    private static func uuid(from hex: String) -> String {
        let digits = Array(hex.prefix(32))
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }.joined(separator: "-")
    }
}
