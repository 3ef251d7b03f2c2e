import SkiffAPI

/// One address of an Endpoints subset.
struct EndpointAddress: Hashable, Sendable {
    var ip: String
    var hostname: String?
    var nodeName: String?
    /// The pod's UID; with the IP, what tells two addresses apart.
    var podUID: String
    var targetRef: JSONValue?

    var json: JSONValue {
        var address: JSONValue = ["ip": .string(ip)]
        if let hostname { address["hostname"] = .string(hostname) }
        if let nodeName { address["nodeName"] = .string(nodeName) }
        if let targetRef { address["targetRef"] = targetRef }
        return address
    }

    /// Upstream's address order: by IP, then by the target's UID.
    static func precedes(_ lhs: EndpointAddress, _ rhs: EndpointAddress) -> Bool {
        (lhs.ip, lhs.podUID) < (rhs.ip, rhs.podUID)
    }
}

/// One port of an Endpoints subset.
struct EndpointPort: Hashable, Sendable {
    var name: String
    var port: Int64
    var portProtocol: String
    var appProtocol: String?

    var json: JSONValue {
        var port: JSONValue = ["port": .int(self.port), "protocol": .string(portProtocol)]
        if !name.isEmpty { port["name"] = .string(name) }
        if let appProtocol { port["appProtocol"] = .string(appProtocol) }
        return port
    }
}

/// A group of addresses offering the same ports.
struct EndpointSubset: Hashable, Sendable {
    var addresses: [EndpointAddress] = []
    var notReadyAddresses: [EndpointAddress] = []
    var ports: [EndpointPort] = []

    var json: JSONValue {
        var subset: JSONValue = .emptyObject
        if !addresses.isEmpty { subset["addresses"] = .array(addresses.map(\.json)) }
        if !notReadyAddresses.isEmpty { subset["notReadyAddresses"] = .array(notReadyAddresses.map(\.json)) }
        if !ports.isEmpty { subset["ports"] = .array(ports.map(\.json)) }
        return subset
    }

    var addressCount: Int { addresses.count + notReadyAddresses.count }
}

/// The subsets of a service's Endpoints: built per pod and port, then repacked so that each
/// set of addresses appears once with every port it offers (upstream's `RepackSubsets`), and
/// truncated to the object's capacity.
enum EndpointSubsets {
    /// The most addresses an Endpoints object holds (upstream's `maxCapacity`).
    static let capacity = 1000

    /// The repacked, sorted subsets of `service` over `pods` (already filtered to those that
    /// belong in its endpoints).
    static func build(service: JSONValue, pods: [JSONValue]) -> [EndpointSubset] {
        let tolerateUnready = service.publishesNotReadyAddresses
        let servicePorts = service[path: "spec", "ports"]?.arrayValue ?? []
        var pieces: [EndpointSubset] = []
        for pod in pods {
            guard let ip = pod.podIPv4 else { continue }
            let address = EndpointAddress(
                ip: ip, hostname: pod.hostname(under: service), nodeName: pod[path: "spec", "nodeName"]?.stringValue,
                podUID: pod.uid ?? "", targetRef: pod.podTargetReference)
            let ready = tolerateUnready || pod.isPodReady
            func piece(_ ports: [EndpointPort]) -> EndpointSubset {
                ready ? EndpointSubset(addresses: [address], ports: ports) : EndpointSubset(notReadyAddresses: [address], ports: ports)
            }
            if servicePorts.isEmpty && service.isHeadlessService {
                pieces.append(piece([]))
                continue
            }
            for servicePort in servicePorts {
                guard let number = pod.containerPort(for: servicePort) else { continue }
                let port = EndpointPort(
                    name: servicePort["name"]?.stringValue ?? "", port: number,
                    portProtocol: servicePort["protocol"]?.stringValue ?? "TCP", appProtocol: servicePort["appProtocol"]?.stringValue)
                pieces.append(piece([port]))
            }
        }
        return repack(pieces)
    }

    /// Merges subsets so that addresses offering the same ports share one subset; an address
    /// ready on a port in any subset is ready there.
    static func repack(_ subsets: [EndpointSubset]) -> [EndpointSubset] {
        struct AddressKey: Hashable {
            var ip: String
            var uid: String
        }
        var addresses: [AddressKey: EndpointAddress] = [:]
        // nil stands for "no ports" (headless services without ports).
        var readiness: [EndpointPort?: [AddressKey: Bool]] = [:]
        for subset in subsets {
            let ports: [EndpointPort?] = subset.ports.isEmpty ? [nil] : subset.ports
            for (list, ready) in [(subset.addresses, true), (subset.notReadyAddresses, false)] {
                for address in list {
                    let key = AddressKey(ip: address.ip, uid: address.podUID)
                    if addresses[key] == nil { addresses[key] = address }
                    for port in ports where readiness[port]?[key] != true {
                        readiness[port, default: [:]][key] = ready
                    }
                }
            }
        }
        var portsByAddressSet: [[AddressKey: Bool]: [EndpointPort]] = [:]
        for (port, set) in readiness {
            portsByAddressSet[set, default: []] += port.map { [$0] } ?? []
        }
        let repacked = portsByAddressSet.map { set, ports in
            EndpointSubset(
                addresses: set.filter(\.value).compactMap { addresses[$0.key] }.sorted(by: EndpointAddress.precedes),
                notReadyAddresses: set.filter { !$0.value }.compactMap { addresses[$0.key] }.sorted(by: EndpointAddress.precedes),
                ports: ports.sorted { ($0.name, $0.port, $0.portProtocol) < ($1.name, $1.port, $1.portProtocol) })
        }
        return repacked.sorted { lhs, rhs in
            let left = (lhs.addresses + lhs.notReadyAddresses).first
            let right = (rhs.addresses + rhs.notReadyAddresses).first
            if let left, let right, left.ip != right.ip || left.podUID != right.podUID { return EndpointAddress.precedes(left, right) }
            return (lhs.ports.first?.name ?? "", lhs.ports.first?.port ?? 0) < (rhs.ports.first?.name ?? "", rhs.ports.first?.port ?? 0)
        }
    }

    /// Cuts the subsets down to `capacity` addresses, each subset keeping its share (rounded
    /// up): not-ready addresses go first, and ready ones are cut only when they alone exceed
    /// the capacity (upstream's `truncateEndpoints`). Returns whether anything was cut.
    static func truncate(_ subsets: inout [EndpointSubset], capacity: Int = capacity) -> Bool {
        let ready = subsets.reduce(0) { $0 + $1.addresses.count }
        let notReady = subsets.reduce(0) { $0 + $1.notReadyAddresses.count }
        guard ready + notReady > capacity else { return false }
        let truncateReady = ready > capacity
        let limit = truncateReady ? capacity : capacity - ready
        let total = truncateReady ? ready : notReady
        var room = limit
        for index in subsets.indices {
            let inSubset = truncateReady ? subsets[index].addresses.count : subsets[index].notReadyAddresses.count
            let share = min(Int((Double(inSubset) / Double(total) * Double(limit)).rounded(.up)), room)
            if truncateReady {
                subsets[index].addresses = Array(subsets[index].addresses.prefix(share))
                subsets[index].notReadyAddresses = []
                room -= subsets[index].addresses.count
            } else {
                subsets[index].notReadyAddresses = Array(subsets[index].notReadyAddresses.prefix(share))
                room -= subsets[index].notReadyAddresses.count
            }
        }
        return true
    }
}
