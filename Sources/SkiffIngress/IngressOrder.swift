import SkiffAPI
import SkiffModels

extension Sequence<NetworkingV1.Ingress> {
    /// The Ingresses in the order their rules take precedence among equals: the oldest first,
    /// then by namespace and name.
    var oldestFirst: [NetworkingV1.Ingress] {
        sorted { lhs, rhs in
            let origin = Timestamp(seconds: 0)
            let (left, right) = (lhs.metadata?.creationTimestamp ?? origin, rhs.metadata?.creationTimestamp ?? origin)
            return left != right ? left < right : (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name)
        }
    }
}
