import SkiffAPI
import SkiffRegistry

/// Finds where `pods/proxy`, `services/proxy` and `nodes/proxy` lead, with upstream's errors:
/// the pod's IP and port (the first declared container port when none is named), a ready
/// endpoint of the service on the service port's target (picked at random, as upstream does,
/// not the ClusterIP), the node's kubelet (or another port of the node).
struct ProxyLocator: Sendable {
    let pods: ResourceStore
    let services: ResourceStore
    let endpoints: ResourceStore
    let nodes: ResourceStore

    /// The location of `id` (`[scheme:]name[:port]`) of `resource`.
    func locate(resource: String, namespace: String?, id: String) async throws -> ProxyLocation {
        let singular = resource.dropLast()
        guard let target = SchemeNamePort(id) else { throw APIError.badRequest("invalid \(singular) request \"\(id)\"") }
        switch resource {
        case "pods": return try await pod(target, namespace: namespace)
        case "services": return try await service(target, namespace: namespace, id: id)
        default: return try await node(target)
        }
    }

    private func pod(_ target: SchemeNamePort, namespace: String?) async throws -> ProxyLocation {
        let pod = try await pods.get(namespace: namespace, name: target.name, resourceVersion: nil)
        var port = target.port
        if port.isEmpty {
            let containers = pod[path: "spec", "containers"]?.arrayValue ?? []
            let declared = containers.lazy.compactMap { $0[path: "ports"]?.arrayValue?.first?[path: "containerPort"]?.intValue }.first
            port = declared.map(String.init) ?? ""
        }
        guard let ip = pod[path: "status", "podIP"]?.stringValue, Self.isGlobalUnicast(ip) else { throw APIError.badRequest("address not allowed") }
        guard !port.isEmpty else { return ProxyLocation(scheme: Self.scheme(target), host: ip, port: nil) }
        guard let number = Int(port), (1...65535).contains(number) else {
            throw APIError.serviceUnavailable("error trying to reach service: invalid port \"\(port)\"")
        }
        return ProxyLocation(scheme: Self.scheme(target), host: ip, port: number)
    }

    private func service(_ target: SchemeNamePort, namespace: String?, id: String) async throws -> ProxyLocation {
        var portName = target.port
        if let number = Int64(portName) {
            let service = try await services.get(namespace: namespace, name: target.name, resourceVersion: nil)
            let ports = service[path: "spec", "ports"]?.arrayValue ?? []
            guard let match = ports.first(where: { $0[path: "port"]?.intValue == number }) else {
                throw APIError.serviceUnavailable("no service port \(number) found for service \"\(target.name)\"")
            }
            portName = match[path: "name"]?.stringValue ?? ""
        }
        let endpoints = try await endpoints.get(namespace: namespace, name: target.name, resourceVersion: nil)
        let subsets = endpoints[path: "subsets"]?.arrayValue ?? []
        guard !subsets.isEmpty else { throw APIError.serviceUnavailable("no endpoints available for service \"\(target.name)\"") }
        for subset in subsets.shuffled() {
            let addresses = subset[path: "addresses"]?.arrayValue ?? []
            let ports = subset[path: "ports"]?.arrayValue ?? []
            guard let port = ports.first(where: { ($0[path: "name"]?.stringValue ?? "") == portName })?[path: "port"]?.intValue,
                let ip = addresses.randomElement()?[path: "ip"]?.stringValue
            else { continue }
            return ProxyLocation(scheme: Self.scheme(target), host: ip, port: Int(port))
        }
        throw APIError.serviceUnavailable("no endpoints available for service \"\(id)\"")
    }

    private func node(_ target: SchemeNamePort) async throws -> ProxyLocation {
        let node = try await nodes.get(namespace: nil, name: target.name, resourceVersion: nil)
        let kubeletPort = await KubeletEndpoint.port(ofNode: target.name, nodes: nodes)
        if !target.port.isEmpty, Int(target.port) != kubeletPort {
            guard let port = Int(target.port), (1...65535).contains(port) else {
                throw APIError.serviceUnavailable("error trying to reach service: invalid port \"\(target.port)\"")
            }
            let addresses = node[path: "status", "addresses"]?.arrayValue ?? []
            let internalIP = addresses.first { $0[path: "type"]?.stringValue == "InternalIP" }?[path: "address"]?.stringValue
            return ProxyLocation(scheme: Self.scheme(target), host: internalIP ?? KubeletEndpoint.host, port: port)
        }
        guard let kubeletPort else {
            throw APIError.serviceUnavailable("error trying to reach service: node \"\(target.name)\" has no kubelet endpoint")
        }
        return ProxyLocation(scheme: "http", host: KubeletEndpoint.host, port: kubeletPort)
    }

    private static func scheme(_ target: SchemeNamePort) -> String {
        target.scheme.isEmpty ? "http" : target.scheme
    }

    /// Whether `ip` is an address a proxy may reach (upstream refuses loopback, link-local,
    /// multicast and unspecified pod addresses).
    static func isGlobalUnicast(_ ip: String) -> Bool {
        if ip.contains(":") {
            let lower = ip.lowercased()
            return !(lower == "::" || lower == "::1" || lower.hasPrefix("fe8") || lower.hasPrefix("fe9") || lower.hasPrefix("fea")
                || lower.hasPrefix("feb") || lower.hasPrefix("ff"))
        }
        let octets = ip.split(separator: ".").compactMap { UInt8($0) }
        guard octets.count == 4 else { return false }
        return !(octets[0] == 0 || octets[0] == 127 || octets[0] >= 224 || (octets[0] == 169 && octets[1] == 254))
    }
}
