import SkiffAPI

extension IngressStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("Class", description: "The name of the IngressClass resource that should be used for additional configuration"),
         TableColumn("Hosts", description: "Hosts that incoming requests are matched against before the ingress rule"),
         TableColumn("Address", description: "Address is a list containing ingress points for the load-balancer"),
         TableColumn("Ports", description: "Ports of TLS configurations that open"), .age]
    }

    /// HOSTS lists up to 3 rule hosts (`*` when none); ADDRESS the load balancer's IPs or host
    /// names; PORTS `80`, or `80, 443` with TLS.
    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let rules = object.elements(at: "spec", "rules")
        let hosts = rules.prefix(3).map { $0.stringValue(at: "host") }.filter { !$0.isEmpty }
        let hostCell = hosts.isEmpty ? "*" : TableFormat.list(hosts, total: max(rules.count, hosts.count))
        let addresses = object.elements(at: "status", "loadBalancer", "ingress").map { ingress in
            ingress.stringValue(at: "ip").isEmpty ? ingress.stringValue(at: "hostname") : ingress.stringValue(at: "ip")
        }.filter { !$0.isEmpty }
        return [
            .string(object.name ?? ""), .string(TableFormat.orNone(object[path: "spec", "ingressClassName"]?.stringValue)), .string(hostCell),
            .string(addresses.joined(separator: ",")), .string(object.elements(at: "spec", "tls").isEmpty ? "80" : "80, 443"),
            .string(Age.since(object, now: now)),
        ]
    }
}
