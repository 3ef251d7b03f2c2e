import SkiffAPI

/// kubectl's columns of services: type, cluster IP, external IP (by type), ports with node
/// ports, age, selector.
enum ServicePrinter {
    static var columns: [TableColumn] {
        [.name, TableColumn("Type"), TableColumn("Cluster-IP"), TableColumn("External-IP"), TableColumn("Port(s)"), .age, .selector]
    }

    static func cells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let spec = object["spec"] ?? .emptyObject
        let ports = spec.elements(at: "ports").map { port -> String in
            let nodePort = port.intValue(at: "nodePort")
            let prefix = nodePort > 0 ? "\(port.intValue(at: "port")):\(nodePort)" : "\(port.intValue(at: "port"))"
            return prefix + "/" + port.stringValue(at: "protocol")
        }
        return [
            .string(object.name ?? ""), .string(spec.stringValue(at: "type")),
            .string(spec.elements(at: "clusterIPs").first?.stringValue ?? "<none>"), .string(externalIP(object)),
            .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), .string(Age.since(object, now: now)),
            .string(TableFormat.labels(spec.stringMap(at: "selector"))),
        ]
    }

    /// The EXTERNAL-IP cell, by type: external IPs, load balancer ingress, or the external name.
    private static func externalIP(_ object: JSONValue) -> String {
        let external = object.elements(at: "spec", "externalIPs").compactMap(\.stringValue)
        switch object.stringValue(at: "spec", "type") {
        case "ClusterIP", "NodePort":
            return external.isEmpty ? "<none>" : external.joined(separator: ",")
        case "LoadBalancer":
            var ingress: [String] = []
            for entry in object.elements(at: "status", "loadBalancer", "ingress") {
                let address = entry.stringValue(at: "ip").isEmpty ? entry.stringValue(at: "hostname") : entry.stringValue(at: "ip")
                if !address.isEmpty && !ingress.contains(address) { ingress.append(address) }
            }
            let all = ingress + external
            return all.isEmpty ? "<pending>" : all.joined(separator: ",")
        case "ExternalName":
            return object.stringValue(at: "spec", "externalName")
        default:
            return "<unknown>"
        }
    }
}
