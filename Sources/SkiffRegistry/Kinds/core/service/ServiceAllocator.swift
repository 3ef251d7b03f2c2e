import SkiffAPI

/// Gives new services their cluster IP (from the service CIDR, kubeadm's default 10.96.0.0/12)
/// and node ports (30000-32767), honouring values the user asked for, with upstream's errors.
struct ServiceAllocator: Sendable {
    static let serviceCIDR = "10.96.0.0/12"
    static let nodePortRange = "30000-32767"

    /// The CIDR's addresses but its network and broadcast addresses.
    private let clusterIPs = RangeAllocator(first: 10 << 24 | 96 << 16 | 1, count: (1 << 20) - 2, step: 16, minimumBand: 16, maximumBand: 256)
    private let nodePorts = RangeAllocator(first: 30000, count: 2768, step: 32, minimumBand: 16, maximumBand: 128)

    /// Allocates what `service` needs, given the services that exist: a cluster IP unless it is
    /// headless or an ExternalName, node ports for NodePort and LoadBalancer services. On a
    /// failure nothing stays reserved; a dry run reserves nothing.
    func allocate(_ service: inout JSONValue, existing: [JSONValue], dryRun: Bool) throws(APIError) {
        var reservedIP: UInt32?
        var reservedPorts: [UInt32] = []
        do {
            let type = service.stringValue(at: "spec", "type")
            if type != "ExternalName" && service.stringValue(at: "spec", "clusterIP") != "None" {
                let inUse = Set(existing.compactMap { IPv4.parse($0.stringValue(at: "spec", "clusterIP")) })
                let ip = try allocateClusterIP(service, inUse: inUse)
                reservedIP = ip
                service[path: "spec", "clusterIP"] = .string(IPv4.format(ip))
                service[path: "spec", "clusterIPs"] = [.string(IPv4.format(ip))]
            }
            if Self.needsNodePorts(service["spec"]) {
                var inUse = Set(existing.flatMap { $0.elements(at: "spec", "ports").map { UInt32(clamping: $0.intValue(at: "nodePort")) } })
                var ports = service.elements(at: "spec", "ports")
                for index in ports.indices {
                    let port = try allocateNodePort(ports[index], index: index, inUse: inUse, service: service)
                    reservedPorts.append(port)
                    inUse.insert(port)
                    ports[index]["nodePort"] = .int(Int64(port))
                }
                service[path: "spec", "ports"] = .array(ports)
            }
        } catch {
            if let reservedIP { clusterIPs.release(reservedIP) }
            reservedPorts.forEach(nodePorts.release)
            throw error
        }
        if dryRun { release(service) }
    }

    /// Frees what a service held (it was deleted, or its create failed).
    func release(_ service: JSONValue) {
        if let ip = IPv4.parse(service.stringValue(at: "spec", "clusterIP")) { clusterIPs.release(ip) }
        for port in service.elements(at: "spec", "ports") where port.intValue(at: "nodePort") > 0 {
            nodePorts.release(UInt32(clamping: port.intValue(at: "nodePort")))
        }
    }

    /// NodePort services, and LoadBalancer ones unless `allocateLoadBalancerNodePorts` is false.
    static func needsNodePorts(_ spec: JSONValue?) -> Bool {
        switch spec?.stringValue(at: "type") {
        case "NodePort": return true
        case "LoadBalancer": return spec?["allocateLoadBalancerNodePorts"]?.boolValue != false
        default: return false
        }
    }

    private func allocateClusterIP(_ service: JSONValue, inUse: Set<UInt32>) throws(APIError) -> UInt32 {
        let requested = service.stringValue(at: "spec", "clusterIP")
        if requested.isEmpty {
            do { return try clusterIPs.allocate(inUse: inUse) } catch {
                throw .internalError("failed to allocate a serviceIP: range is full")
            }
        }
        let detail: String
        do throws(RangeAllocator.Failure) {
            guard let ip = IPv4.parse(requested) else { throw RangeAllocator.Failure.outOfRange }
            try clusterIPs.reserve(ip, inUse: inUse)
            return ip
        } catch .taken {
            detail = "provided IP is already allocated"
        } catch {
            detail = "the provided IP (\(requested)) is not in the valid range. The range of valid IPs is \(Self.serviceCIDR)"
        }
        throw .invalid(kind: GroupKind(group: "", kind: "Service"), name: service.name ?? "", errors: [
            .invalid("spec.clusterIPs[0]", service[path: "spec", "clusterIPs"] ?? [.string(requested)], "failed to allocate IP \(requested): \(detail)"),
        ])
    }

    private func allocateNodePort(_ port: JSONValue, index: Int, inUse: Set<UInt32>, service: JSONValue) throws(APIError) -> UInt32 {
        let requested = port.intValue(at: "nodePort")
        if requested == 0 {
            do { return try nodePorts.allocate(inUse: inUse) } catch {
                throw .internalError("failed to allocate a nodePort: range is full")
            }
        }
        let detail: String
        do {
            try nodePorts.reserve(UInt32(clamping: requested), inUse: inUse)
            return UInt32(requested)
        } catch .taken {
            detail = "provided port is already allocated"
        } catch {
            detail = "provided port is not in the valid range. The range of valid ports is \(Self.nodePortRange)"
        }
        throw .invalid(kind: GroupKind(group: "", kind: "Service"), name: service.name ?? "", errors: [
            .invalid("spec.ports[\(index)].nodePort", .int(requested), detail),
        ])
    }
}
