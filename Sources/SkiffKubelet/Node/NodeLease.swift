import SkiffAPI
import SkiffModels

/// The node's heartbeat Lease in `kube-node-lease` (upstream's `nodelease` controller): held
/// by the node, 40 s long, renewed every 10 s, owned by the Node so it goes with it.
enum NodeLease {
    static let namespace = "kube-node-lease"
    static let durationSeconds: Int32 = 40
    static let renewInterval: Duration = .seconds(10)

    /// The Lease of `node` renewed at `now`.
    static func lease(nodeName: String, nodeUID: String?, now: Timestamp) -> CoordinationV1.Lease {
        CoordinationV1.Lease(
            metadata: ObjectMeta(name: nodeName, namespace: namespace, ownerReferences: owners(nodeName: nodeName, nodeUID: nodeUID)),
            spec: spec(nodeName: nodeName, now: now))
    }

    /// `existing` renewed at `now` (its resourceVersion kept, so the update is guarded).
    static func renewed(_ existing: CoordinationV1.Lease, nodeName: String, nodeUID: String?, now: Timestamp) -> CoordinationV1.Lease {
        var lease = existing
        lease.spec = spec(nodeName: nodeName, now: now)
        if lease.metadata?.ownerReferences?.isEmpty ?? true, let owners = owners(nodeName: nodeName, nodeUID: nodeUID) {
            lease.metadata = lease.metadata ?? ObjectMeta()
            lease.metadata?.ownerReferences = owners
        }
        return lease
    }

    /// The node holds the lease for `durationSeconds` from `now`.
    private static func spec(nodeName: String, now: Timestamp) -> CoordinationV1.LeaseSpec {
        CoordinationV1.LeaseSpec(holderIdentity: nodeName, leaseDurationSeconds: durationSeconds, renewTime: MicroTime(now))
    }

    /// The Node as the lease's owner, once its UID is known.
    private static func owners(nodeName: String, nodeUID: String?) -> [OwnerReference]? {
        nodeUID.map { [OwnerReference(apiVersion: "v1", kind: "Node", name: nodeName, uid: $0)] }
    }
}
