import SkiffAPI
import SkiffStorage

/// Gives new services their cluster IP (from the service CIDR, kubeadm's default 10.96.0.0/12)
/// and node ports (30000-32767), honouring values the user asked for, with upstream's errors.
/// What is taken lives in storage (`/registry/ranges/serviceips`, `/registry/ranges/servicenodeports`,
/// as upstream's bitmap allocators keep it), never in memory, so it survives restarts and is
/// shared by every write.
struct ServiceAllocator: Sendable {
    static let serviceCIDR = "10.96.0.0/12"
    static let nodePortRange = "30000-32767"

    /// The CIDR's addresses but its network and broadcast addresses.
    let clusterIPs: RangeAllocator
    let nodePorts: RangeAllocator
    /// Where services are stored, for the repair.
    private let servicesKeyPrefix: String
    private let storage: any Storage

    /// The allocator of the services stored under `servicesKeyPrefix` in `storage`.
    init(storage: any Storage, servicesKeyPrefix: String) {
        self.storage = storage
        self.servicesKeyPrefix = servicesKeyPrefix
        clusterIPs = RangeAllocator(key: "/registry/ranges/serviceips", range: Self.serviceCIDR, first: 10 << 24 | 96 << 16 | 1,
                                    count: (1 << 20) - 2, step: 16, minimumBand: 16, maximumBand: 256, storage: storage)
        nodePorts = RangeAllocator(key: "/registry/ranges/servicenodeports", range: Self.nodePortRange, first: 30000,
                                   count: 2768, step: 32, minimumBand: 16, maximumBand: 128, storage: storage)
    }

    /// Rebuilds both ranges from the services in storage (upstream's repair controllers, run
    /// once at start): values held by no service are freed, values of services that a crash
    /// left unrecorded are marked taken.
    func repair() async throws {
        let services = try await storage.range(RangeRequest(prefix: servicesKeyPrefix)).kvs.compactMap { try? JSONValue(parsing: $0.value) }
        try await clusterIPs.replace(with: Set(services.compactMap(Self.clusterIPValue)))
        try await nodePorts.replace(with: Set(services.flatMap(Self.nodePortValues)))
    }

    /// Allocates what `service` needs: a cluster IP unless it is headless or an ExternalName,
    /// node ports for NodePort and LoadBalancer services. On a failure nothing stays taken; a
    /// dry run takes nothing.
    func allocate(_ service: inout JSONValue, dryRun: Bool) async throws(APIError) {
        var allocatedIP = false
        do {
            let type = service.stringValue(at: "spec", "type")
            if type != "ExternalName" && service.stringValue(at: "spec", "clusterIP") != "None" {
                let snapshot = service
                let ip = try await clusterIPs.update(dryRun: dryRun) { allocations throws(APIError) in
                    try Self.allocateClusterIP(snapshot, in: &allocations)
                }
                allocatedIP = true
                service[path: "spec", "clusterIP"] = .string(IPv4.format(ip))
                service[path: "spec", "clusterIPs"] = [.string(IPv4.format(ip))]
            }
            if Self.needsNodePorts(service["spec"]) {
                let snapshot = service
                let ports = try await nodePorts.update(dryRun: dryRun) { allocations throws(APIError) in
                    try Self.allocateNodePorts(snapshot, in: &allocations)
                }
                service[path: "spec", "ports"] = .array(ports)
            }
        } catch {
            if allocatedIP && !dryRun { await release(service, ports: false) }
            throw error
        }
    }

    /// Frees what a service held (it was deleted, or its create failed). A failure to store the
    /// release leaves the values taken until the next repair, as upstream's leaks are.
    func release(_ service: JSONValue) async {
        await release(service, ports: true)
    }

    /// Brings the ranges in line with an update: values the service no longer holds (its type
    /// changed, its ports went) are freed, values it newly holds are marked taken. Updates do not
    /// allocate, so nothing is refused here.
    func settle(_ service: JSONValue, old: JSONValue) async {
        let ips = (Self.clusterIPValue(old), Self.clusterIPValue(service))
        if ips.0 != ips.1 {
            _ = try? await clusterIPs.update(dryRun: false) { allocations in
                if let gone = ips.0 { allocations.release(gone) }
                if let new = ips.1 { allocations.take(new) }
            }
        }
        let before = Set(Self.nodePortValues(old))
        let after = Set(Self.nodePortValues(service))
        if before != after {
            _ = try? await nodePorts.update(dryRun: false) { allocations in
                before.subtracting(after).forEach { allocations.release($0) }
                after.subtracting(before).forEach { allocations.take($0) }
            }
        }
    }

    private static func clusterIPValue(_ service: JSONValue) -> UInt32? {
        IPv4.parse(service.stringValue(at: "spec", "clusterIP"))
    }

    private func release(_ service: JSONValue, ports: Bool) async {
        if let ip = Self.clusterIPValue(service) {
            _ = try? await clusterIPs.update(dryRun: false) { $0.release(ip) }
        }
        let values = Self.nodePortValues(service)
        if ports && !values.isEmpty {
            _ = try? await nodePorts.update(dryRun: false) { allocations in values.forEach { allocations.release($0) } }
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

    private static func nodePortValues(_ service: JSONValue) -> [UInt32] {
        service.elements(at: "spec", "ports").compactMap { port in
            let value = port.intValue(at: "nodePort")
            return value > 0 ? UInt32(clamping: value) : nil
        }
    }

    private static func allocateClusterIP(_ service: JSONValue, in allocations: inout RangeAllocator.Allocations) throws(APIError) -> UInt32 {
        let requested = service.stringValue(at: "spec", "clusterIP")
        if requested.isEmpty {
            do { return try allocations.allocate() } catch {
                throw .internalError("failed to allocate a serviceIP: range is full")
            }
        }
        let detail: String
        do throws(RangeAllocator.Failure) {
            guard let ip = IPv4.parse(requested) else { throw RangeAllocator.Failure.outOfRange }
            try allocations.reserve(ip)
            return ip
        } catch .taken {
            detail = "provided IP is already allocated"
        } catch {
            detail = "the provided IP (\(requested)) is not in the valid range. The range of valid IPs is \(serviceCIDR)"
        }
        throw .invalid(kind: GroupKind(group: "", kind: "Service"), name: service.name ?? "", errors: [
            .invalid("spec.clusterIPs[0]", service[path: "spec", "clusterIPs"] ?? [.string(requested)], "failed to allocate IP \(requested): \(detail)"),
        ])
    }

    /// The service's ports with a node port each: the ones asked for, then free ones.
    private static func allocateNodePorts(_ service: JSONValue, in allocations: inout RangeAllocator.Allocations) throws(APIError) -> [JSONValue] {
        var ports = service.elements(at: "spec", "ports")
        for index in ports.indices {
            let requested = ports[index].intValue(at: "nodePort")
            if requested == 0 {
                do { ports[index]["nodePort"] = .int(Int64(try allocations.allocate())) } catch {
                    throw .internalError("failed to allocate a nodePort: range is full")
                }
                continue
            }
            let detail: String
            do {
                try allocations.reserve(UInt32(clamping: requested))
                continue
            } catch .taken {
                detail = "provided port is already allocated"
            } catch {
                detail = "provided port is not in the valid range. The range of valid ports is \(nodePortRange)"
            }
            throw .invalid(kind: GroupKind(group: "", kind: "Service"), name: service.name ?? "", errors: [
                .invalid("spec.ports[\(index)].nodePort", .int(requested), detail),
            ])
        }
        return ports
    }
}
