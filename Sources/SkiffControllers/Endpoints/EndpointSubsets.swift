import SkiffAPI
import SkiffModels

/// One address of an Endpoints subset, hashable for repacking.
struct EndpointAddress: Hashable, Sendable {
    var ip: String
    var hostname: String?
    var nodeName: String?
    /// The pod's UID; with the IP, what tells two addresses apart.
    var podUID: String
    /// The pod's namespace and name, for the `targetRef` (none when nil).
    var podNamespace = ""
    var podName: String?

    var model: CoreV1.EndpointAddress {
        CoreV1.EndpointAddress(
            hostname: hostname, ip: ip, nodeName: nodeName,
            targetRef: podName.map { CoreV1.ObjectReference(kind: "Pod", name: $0, namespace: podNamespace, uid: podUID) })
    }

    /// Upstream's address order: by IP, then by the target's UID.
    static func precedes(_ lhs: EndpointAddress, _ rhs: EndpointAddress) -> Bool {
        (lhs.ip, lhs.podUID) < (rhs.ip, rhs.podUID)
    }
}

/// One port of an Endpoints subset, hashable for repacking.
struct EndpointPort: Hashable, Sendable {
    var name: String
    var port: Int32
    var portProtocol: String
    var appProtocol: String?

    var model: CoreV1.EndpointPort {
        CoreV1.EndpointPort(appProtocol: appProtocol, name: name.isEmpty ? nil : name, port: port, protocol: portProtocol)
    }
}

/// A group of addresses offering the same ports.
struct EndpointSubset: Hashable, Sendable {
    var addresses: [EndpointAddress] = []
    var notReadyAddresses: [EndpointAddress] = []
    var ports: [EndpointPort] = []

    var model: CoreV1.EndpointSubset {
        CoreV1.EndpointSubset(
            addresses: addresses.isEmpty ? nil : addresses.map(\.model),
            notReadyAddresses: notReadyAddresses.isEmpty ? nil : notReadyAddresses.map(\.model),
            ports: ports.isEmpty ? nil : ports.map(\.model))
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
    static func build(service: CoreV1.Service, pods: [CoreV1.Pod]) -> [EndpointSubset] {
        let tolerateUnready = service.publishesNotReadyAddresses
        let servicePorts = service.spec?.ports ?? []
        var pieces: [EndpointSubset] = []
        for pod in pods {
            guard let ip = pod.ipv4 else { continue }
            let address = EndpointAddress(
                ip: ip, hostname: pod.hostname(under: service), nodeName: pod.spec?.nodeName,
                podUID: pod.metadata?.uid ?? "", podNamespace: pod.namespace, podName: pod.name)
            let ready = tolerateUnready || pod.isReady
            func piece(_ ports: [EndpointPort]) -> EndpointSubset {
                ready ? EndpointSubset(addresses: [address], ports: ports) : EndpointSubset(notReadyAddresses: [address], ports: ports)
            }
            if servicePorts.isEmpty && service.isHeadless {
                pieces.append(piece([]))
                continue
            }
            for servicePort in servicePorts {
                guard let number = pod.containerPort(for: servicePort) else { continue }
                let port = EndpointPort(
                    name: servicePort.name ?? "", port: number, portProtocol: servicePort.protocol ?? "TCP", appProtocol: servicePort.appProtocol)
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
