import SkiffAPI
import SkiffModels

/// The service ports a node proxies, joined with their endpoints: a pure function of the
/// Services and EndpointSlices the informers hold (upstream's `ServicePortMap` and
/// `EndpointsMap` after an update).
enum ServicePortTable {
    static let serviceNameLabel = "kubernetes.io/service-name"

    /// Every proxied port of `services`, with the endpoints `slices` give it, sorted by
    /// namespace, name and port. Headless services (`clusterIP: None`), `ExternalName` services
    /// and services without a ClusterIP are skipped, as upstream's proxier skips them.
    static func make(services: [CoreV1.Service], slices: [DiscoveryV1.EndpointSlice], nodeName: String) -> [ProxiedServicePort] {
        var slicesByService: [String: [DiscoveryV1.EndpointSlice]] = [:]
        for slice in slices where slice.addressType == "IPv4" {
            guard let service = slice.metadata?.labels?[serviceNameLabel] else { continue }
            slicesByService["\(slice.namespace)/\(service)", default: []].append(slice)
        }
        var ports: [ProxiedServicePort] = []
        for service in services {
            guard let spec = service.spec, spec.type != "ExternalName",
                let clusterIP = spec.clusterIP, !clusterIP.isEmpty, clusterIP != "None", isIPv4(clusterIP)
            else { continue }
            let serviceSlices = slicesByService[service.cacheKey] ?? []
            let externalIPs = (spec.externalIPs ?? [])
                + (spec.type == "LoadBalancer" ? (service.status?.loadBalancer?.ingress ?? []).compactMap(\.ip) : [])
            for port in spec.ports ?? [] {
                let l4Protocol = (port.protocol ?? "TCP").lowercased()
                ports.append(
                    ProxiedServicePort(
                        namespace: service.namespace, serviceName: service.name, portName: port.name ?? "", l4Protocol: l4Protocol,
                        clusterIP: clusterIP, port: port.port,
                        nodePort: (spec.type == "NodePort" || spec.type == "LoadBalancer") ? port.nodePort : nil,
                        externalIPs: externalIPs.filter(isIPv4),
                        affinityTimeout: spec.sessionAffinity == "ClientIP" ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800) : nil,
                        internalLocal: spec.internalTrafficPolicy == "Local",
                        externalLocal: spec.externalTrafficPolicy == "Local",
                        endpoints: endpoints(of: port.name ?? "", l4Protocol: l4Protocol, in: serviceSlices, nodeName: nodeName)))
            }
        }
        return ports.sorted { ($0.namespace, $0.serviceName, $0.portName, $0.l4Protocol) < ($1.namespace, $1.serviceName, $1.portName, $1.l4Protocol) }
    }

    /// The endpoints of the slices' port named `portName`, each address once. Unset conditions
    /// read as the API documents them: `ready` and `serving` as ready, `terminating` as false.
    private static func endpoints(
        of portName: String, l4Protocol: String, in slices: [DiscoveryV1.EndpointSlice], nodeName: String
    ) -> [ProxiedEndpoint] {
        var found = Set<ProxiedEndpoint>()
        var seen = Set<String>()
        for slice in slices {
            guard let port = slice.ports?.first(where: { ($0.name ?? "") == portName && ($0.protocol ?? "TCP").lowercased() == l4Protocol }),
                let number = port.port
            else { continue }
            for endpoint in slice.endpoints {
                guard let ip = endpoint.addresses.first, isIPv4(ip), seen.insert("\(ip):\(number)").inserted else { continue }
                let ready = endpoint.conditions?.ready ?? true
                found.insert(
                    ProxiedEndpoint(
                        ip: ip, port: number, ready: ready, serving: endpoint.conditions?.serving ?? ready,
                        terminating: endpoint.conditions?.terminating ?? false, isLocal: endpoint.nodeName == nodeName))
            }
        }
        return found.sorted()
    }

    /// Whether `address` is a dotted IPv4 address (the table is of family `ip`).
    static func isIPv4(_ address: String) -> Bool {
        let parts = address.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in UInt8(part).map { _ in !part.isEmpty } ?? false }
    }
}
