import SkiffAPI

extension EndpointsStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Endpoints"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string(endpoints(object)), .string(Age.since(object, now: now))]
    }

    /// Port by port, each address as `ip:port` (addresses alone for subsets without ports).
    private func endpoints(_ object: JSONValue) -> String {
        let subsets = object.elements(at: "subsets")
        if subsets.isEmpty { return "<none>" }
        var pairs: [String] = []
        var total = 0
        for subset in subsets {
            let addresses = subset.elements(at: "addresses").map { $0.stringValue(at: "ip") }
            let ports = subset.elements(at: "ports")
            if ports.isEmpty {
                total += addresses.count
                pairs += addresses
            }
            for port in ports {
                total += addresses.count
                pairs += addresses.map { ip in (ip.contains(":") ? "[\(ip)]" : ip) + ":\(port.intValue(at: "port"))" }
            }
        }
        return TableFormat.list(pairs, total: total)
    }
}
