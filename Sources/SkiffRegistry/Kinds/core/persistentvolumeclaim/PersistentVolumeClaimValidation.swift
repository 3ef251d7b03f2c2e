import SkiffAPI

extension PersistentVolumeClaimStrategy {
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
}
