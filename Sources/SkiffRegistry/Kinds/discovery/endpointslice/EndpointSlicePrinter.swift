import SkiffAPI

extension EndpointSliceStrategy {
    var tableColumns: [TableColumn] {
        [.name, TableColumn("AddressType"), TableColumn("Ports"), TableColumn("Endpoints"), .age]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let ports = object.elements(at: "ports").map { port in
            port["port"]?.intValue.map(String.init) ?? port["name"]?.stringValue ?? "*"
        }
        let addresses = object.elements(at: "endpoints").flatMap { $0.elements(at: "addresses").compactMap(\.stringValue) }
        return [
            .string(object.name ?? ""), .string(object.stringValue(at: "addressType")), .string(Self.listOrUnset(ports)),
            .string(Self.listOrUnset(addresses)), .string(Age.since(object, now: now)),
        ]
    }

    private static func listOrUnset(_ items: [String]) -> String {
        items.isEmpty ? "<unset>" : TableFormat.list(items, total: items.count)
    }
}
