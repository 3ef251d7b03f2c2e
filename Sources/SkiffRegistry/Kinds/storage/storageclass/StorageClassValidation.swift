import SkiffAPI

extension StorageClassStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let provisioner = object.stringValue(at: "provisioner")
        if provisioner.isEmpty { errors.append(.required("provisioner")) }
        errors += FieldRules.supported(object["reclaimPolicy"], field: "reclaimPolicy", values: ["Delete", "Retain"])
        errors += FieldRules.supported(object["volumeBindingMode"], field: "volumeBindingMode", values: ["Immediate", "WaitForFirstConsumer"])
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for field in ["parameters", "provisioner", "reclaimPolicy"] where object[field] != old[field] {
            errors.append(.forbidden(field, "updates to \(field) are forbidden."))
        }
        return errors + FieldRules.immutable(object, old: old, [["volumeBindingMode"]])
    }
}
