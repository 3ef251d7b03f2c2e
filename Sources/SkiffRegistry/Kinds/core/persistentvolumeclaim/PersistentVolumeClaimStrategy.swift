import SkiffAPI

/// PersistentVolumeClaims: born `Pending`, a spec that is immutable but for what binding and
/// resizing change, and the claim columns.
struct PersistentVolumeClaimStrategy: ResourceStrategy {
    var returnsDeletedObject: Bool { true }

    /// Defaults of a claim (also used for stateful sets' claim templates): the spec's and a `Pending` phase.
    static func applyClaimDefaults(_ claim: inout JSONValue) {
        claim.setDefault("spec", .emptyObject)
        claim.editMember("spec", applySpecDefaults)
        claim.setDefault("status", .emptyObject)
        claim.editMember("status") { $0.setDefault("phase", "Pending") }
    }

    /// Defaults of a claim spec (also in ephemeral volumes): `Filesystem` volumes.
    static func applySpecDefaults(_ spec: inout JSONValue) {
        spec.setDefault("volumeMode", "Filesystem")
        spec.setDefault("resources", .emptyObject)
    }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
    func applyDefaults(to object: inout JSONValue) { Self.applyClaimDefaults(&object) }

    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let modes = object.elements(at: "spec", "accessModes")
        if modes.isEmpty { errors.append(.required("spec.accessModes", "at least 1 access mode is required")) }
        let supportedModes = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
        for mode in modes where !supportedModes.contains(mode.stringValue ?? "") {
            errors.append(.notSupported("spec.accessModes", mode, supported: supportedModes))
        }
        let storage = object[path: "spec", "resources", "requests", "storage"]
        if storage == nil {
            errors.append(.required("spec.resources[storage]"))
        } else if let quantity = ResourceQuantity(storage), !quantity.isPositive {
            errors.append(.invalid("spec.resources[storage]", storage ?? .null, "must be greater than zero"))
        }
        if let mode = object[path: "spec", "volumeMode"], !["Block", "Filesystem"].contains(mode.stringValue ?? "") {
            errors.append(.notSupported("spec.volumeMode", mode, supported: ["Block", "Filesystem"]))
        }
        return errors
    }

    /// The spec may change only where binding and resizing change it: `volumeName` once, a
    /// storage class set where there was none, and the storage request of a bound claim.
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        var new = object["spec"] ?? .emptyObject
        var before = old["spec"] ?? .emptyObject
        if before.stringValue(at: "volumeName").isEmpty { before["volumeName"] = new["volumeName"] }
        if before["storageClassName"] == nil { before["storageClassName"] = new["storageClassName"] }
        if object.stringValue(at: "status", "phase") == "Bound" {
            new[path: "resources", "requests", "storage"] = before[path: "resources", "requests", "storage"]
        }
        var errors: [FieldError] = []
        if new != before {
            errors.append(.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
        }
        if let newSize = ResourceQuantity(object[path: "spec", "resources", "requests", "storage"]),
           let oldSize = ResourceQuantity(old[path: "spec", "resources", "requests", "storage"]), newSize < oldSize {
            errors.append(.forbidden("spec.resources.requests.storage", "field can not be less than previous value"))
        }
        return errors
    }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Status"), TableColumn("Volume"), TableColumn("Capacity"), TableColumn("Access Modes"),
         TableColumn("StorageClass", description: "StorageClass of the pvc"),
         TableColumn("VolumeAttributesClass", description: "VolumeAttributesClass of the pvc"), .age, TableColumn("VolumeMode", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let phase = object.deletionTimestamp != nil ? "Terminating" : object.stringValue(at: "status", "phase")
        let volume = object.stringValue(at: "spec", "volumeName")
        var capacity = ""
        var modes = ""
        if !volume.isEmpty {
            capacity = object[path: "status", "capacity", "storage"].flatMap(\.stringValue) ?? "0"
            modes = Self.accessModes(object.elements(at: "status", "accessModes").compactMap(\.stringValue))
        }
        let storageClass = object.annotations["volume.beta.kubernetes.io/storage-class"] ?? object.stringValue(at: "spec", "storageClassName")
        return [
            .string(object.name ?? ""), .string(phase), .string(volume), .string(capacity), .string(modes), .string(storageClass),
            .string(object[path: "spec", "volumeAttributesClassName"]?.stringValue ?? "<unset>"), .string(Age.since(object, now: now)),
            .string(object[path: "spec", "volumeMode"]?.stringValue ?? "<unset>"),
        ]
    }

    /// Access modes as kubectl abbreviates them, in upstream's fixed order (`RWO,ROX,RWX,RWOP`).
    static func accessModes(_ modes: [String]) -> String {
        [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]
            .filter { modes.contains($0.0) }.map(\.1).joined(separator: ",")
    }
}
