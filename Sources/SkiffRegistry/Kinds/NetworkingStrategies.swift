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

/// Shortens endpoint lists as kubectl does.
enum EndpointList {
    static func summary(_ items: [String]) -> String {
        if items.isEmpty { return "<none>" }
        if items.count <= 3 { return items.joined(separator: ",") }
        return items.prefix(3).joined(separator: ",") + " + \(items.count - 3) more..."
    }
}

/// Leases: `HOLDER` is `spec.holderIdentity`.
struct LeaseStrategy: ResourceStrategy {
    var tableColumns: [TableColumn] { [.name, TableColumn("Holder"), .age] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "spec", "holderIdentity"] ?? "", .string(Age.since(object, now: now))]
    }
}

/// PersistentVolumeClaims: status subresource and the claim columns.
struct PersistentVolumeClaimStrategy: ResourceStrategy {
    func prepareForCreate(_ object: inout JSONValue) { object["status"] = ["phase": "Pending"] }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
        PodSpecDefaults.setIfMissing(&object, "spec", .emptyObject)
        if object[path: "spec", "volumeMode"] == nil { object[path: "spec", "volumeMode"] = "Filesystem" }
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if (object[path: "spec", "accessModes"]?.arrayValue ?? []).isEmpty {
            errors.append(.required("spec.accessModes", "at least 1 access mode is required"))
        }
        if object[path: "spec", "resources", "requests", "storage"] == nil {
            errors.append(.required("spec.resources[storage]"))
        }
        return errors
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status"), TableColumn("Volume"), TableColumn("Capacity"), TableColumn("Access Modes"),
         TableColumn("StorageClass"), TableColumn("VolumeAttributesClass"), .age, TableColumn("VolumeMode", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let modes = (object[path: "status", "accessModes"]?.arrayValue ?? []).compactMap(\.stringValue).map { mode -> String in
            switch mode {
            case "ReadWriteOnce": return "RWO"
            case "ReadOnlyMany": return "ROX"
            case "ReadWriteMany": return "RWX"
            case "ReadWriteOncePod": return "RWOP"
            default: return mode
            }
        }
        let storageClass = object[path: "spec", "storageClassName"]?.stringValue ?? "<unset>"
        return [
            .string(object.name ?? ""), object[path: "status", "phase"] ?? "", object[path: "spec", "volumeName"] ?? "",
            object[path: "status", "capacity", "storage"] ?? "", .string(modes.joined(separator: ",")), .string(storageClass),
            .string(object[path: "spec", "volumeAttributesClassName"]?.stringValue ?? "<unset>"), .string(Age.since(object, now: now)),
            object[path: "spec", "volumeMode"] ?? "",
        ]
    }
}

/// CustomResourceDefinitions (stored; serving custom resources comes later).
struct CustomResourceDefinitionStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
    func prepareForCreate(_ object: inout JSONValue) { object["status"] = nil }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    var tableColumns: [TableColumn] { [.name, TableColumn("Created At", type: "date")] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), object[path: "metadata", "creationTimestamp"] ?? ""]
    }
}
