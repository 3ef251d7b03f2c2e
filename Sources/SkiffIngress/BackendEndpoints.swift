import SkiffAPI
import SkiffModels

/// The addresses a service backend of an Ingress forwards to (pure): the ready endpoints of
/// the Service's EndpointSlices for the backend's port (by number or name; the slice port
/// matched by the service port's name, as the service proxy matches it), as `ip:port`.
enum BackendEndpoints {
    static let serviceNameLabel = "kubernetes.io/service-name"

    /// The `ip:port` addresses of `backend`'s service `service` (nil: no such service or
    /// port, or not a service with endpoints) given the service's `slices`.
    static func addresses(of backend: NetworkingV1.IngressServiceBackend, service: CoreV1.Service?, slices: [DiscoveryV1.EndpointSlice]) -> [String]? {
        guard let service, service.spec?.type != "ExternalName",
            let servicePort = service.spec?.ports?.first(where: { port in
                if let number = backend.port?.number { return port.port == number }
                return port.name != nil && port.name == backend.port?.name
            }),
            (servicePort.protocol ?? "TCP") == "TCP"
        else { return nil }
        var addresses: [String] = []
        for slice in slices where slice.addressType == "IPv4" && slice.metadata?.labels?[serviceNameLabel] == service.name {
            guard let number = slice.ports?.first(where: { ($0.name ?? "") == (servicePort.name ?? "") && ($0.protocol ?? "TCP") == "TCP" })?.port
            else { continue }
            for endpoint in slice.endpoints where endpoint.conditions?.ready ?? true {
                if let ip = endpoint.addresses.first { addresses.append("\(ip):\(number)") }
            }
        }
        return Array(Set(addresses)).sorted()
    }
}
