import SkiffAPI

/// EndpointSlices (discovery.k8s.io/v1): ports default to TCP with an empty name; the address
/// type is required and immutable; ADDRESSTYPE/PORTS/ENDPOINTS columns.
struct EndpointSliceStrategy: ResourceStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.editElements("ports") { port in
            port.setDefault("name", "")
            port.setDefault("protocol", "TCP")
        }
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = FieldRules.supported(object["addressType"], field: "addressType", values: ["FQDN", "IPv4", "IPv6"])
        for (index, endpoint) in object.elements(at: "endpoints").enumerated() where endpoint.elements(at: "addresses").isEmpty {
            errors.append(.required("endpoints[\(index)].addresses", "must contain at least 1 address"))
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["addressType"]])
    }

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
