import SkiffAPI

/// Ingresses (networking.k8s.io/v1): status (the load balancer) kept on main-resource writes,
/// generation tracking, CLASS/HOSTS/ADDRESS/PORTS columns. Routing is an ingress controller's.
struct IngressStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { ["loadBalancer": .emptyObject] }

    var tracksGeneration: Bool { true }
}
