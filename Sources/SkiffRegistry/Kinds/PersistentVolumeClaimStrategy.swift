import SkiffAPI

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
