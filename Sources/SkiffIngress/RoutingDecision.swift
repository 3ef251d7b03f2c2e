import SkiffModels

/// What the proxy does with a request (pure): forward it to one of the backend's ready
/// endpoints, answer 404 when no rule and no default backend matches, or 503 when the
/// matched backend has no ready endpoint (or is not a service the proxy can reach).
public enum RoutingDecision: Sendable, Equatable {
    case forward([String])
    case notFound
    case unavailable

    /// The decision for `route`, given its service and that service's EndpointSlices.
    static func make(route: IngressRoute?, service: CoreV1.Service?, slices: [DiscoveryV1.EndpointSlice]) -> RoutingDecision {
        guard let route else { return .notFound }
        guard let backend = route.backend.service,
            let addresses = BackendEndpoints.addresses(of: backend, service: service, slices: slices), !addresses.isEmpty
        else { return .unavailable }
        return .forward(addresses)
    }
}
