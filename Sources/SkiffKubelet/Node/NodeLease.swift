import SkiffAPI

/// The node's heartbeat Lease in `kube-node-lease` (upstream's `nodelease` controller): held
/// by the node, 40 s long, renewed every 10 s, owned by the Node so it goes with it.
enum NodeLease {
    static let namespace = "kube-node-lease"
    static let durationSeconds: Int64 = 40
    static let renewInterval: Duration = .seconds(10)

    /// The Lease of `node` renewed at `now`.
    static func lease(nodeName: String, nodeUID: String?, now: Timestamp) -> JSONValue {
        var metadata: JSONValue = ["name": .string(nodeName), "namespace": .string(namespace)]
        if let nodeUID {
            metadata["ownerReferences"] = [["apiVersion": "v1", "kind": "Node", "name": .string(nodeName), "uid": .string(nodeUID)]]
        }
        return [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": metadata,
            "spec": [
                "holderIdentity": .string(nodeName), "leaseDurationSeconds": .int(durationSeconds), "renewTime": .string(now.rfc3339Micro),
            ],
        ]
    }

    /// `existing` renewed at `now` (its resourceVersion kept, so the update is guarded).
    static func renewed(_ existing: JSONValue, nodeName: String, nodeUID: String?, now: Timestamp) -> JSONValue {
        var lease = existing
        let fresh = self.lease(nodeName: nodeName, nodeUID: nodeUID, now: now)
        lease["spec"] = fresh["spec"]
        if lease.ownerReferences.isEmpty, let owners = fresh[path: "metadata", "ownerReferences"] {
            lease[path: "metadata", "ownerReferences"] = owners
        }
        return lease
    }
}
