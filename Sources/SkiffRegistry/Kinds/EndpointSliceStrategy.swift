import SkiffAPI

/// EndpointSlices: address type, ports and endpoints.
struct EndpointSliceStrategy: ResourceStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("AddressType"), TableColumn("Ports"), TableColumn("Endpoints"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let ports = (object["ports"]?.arrayValue ?? []).compactMap { $0["port"]?.intValue }.map(String.init)
        let addresses = (object["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) }
        return [
            .string(object.name ?? ""), object["addressType"] ?? "", .string(ports.isEmpty ? "<unset>" : ports.joined(separator: ",")),
            .string(EndpointList.summary(addresses)), .string(Age.since(object, now: now)),
        ]
    }
}
