import SkiffAPI

/// Endpoints: `ENDPOINTS` lists up to three `ip:port` pairs, then `+ N more...`.
struct EndpointsStrategy: ResourceStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Endpoints"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        var pairs: [String] = []
        for subset in object["subsets"]?.arrayValue ?? [] {
            let addresses = (subset["addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
            let ports = (subset["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }
            for address in addresses {
                if ports.isEmpty { pairs.append(address) }
                for port in ports { pairs.append("\(address):\(port)") }
            }
        }
        return [.string(object.name ?? ""), .string(EndpointList.summary(pairs)), .string(Age.since(object, now: now))]
    }
}

/// Shortens endpoint lists as kubectl does.
enum EndpointList {
    static func summary(_ items: [String]) -> String {
        if items.isEmpty { return "<none>" }
        if items.count <= 3 { return items.joined(separator: ",") }
        return items.prefix(3).joined(separator: ",") + " + \(items.count - 3) more..."
    }
}
