import SkiffAPI

extension CSIDriverStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, mode) in object.elements(at: "spec", "volumeLifecycleModes").enumerated() where !["Ephemeral", "Persistent"].contains(mode.stringValue ?? "") {
            errors.append(.notSupported("spec.volumeLifecycleModes[\(index)]", mode, supported: ["Persistent", "Ephemeral"]))
        }
        if let policy = object[path: "spec", "fsGroupPolicy"] {
            errors += FieldRules.supported(policy, field: "spec.fsGroupPolicy", values: ["File", "None", "ReadWriteOnceWithFSType"])
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "attachRequired"], ["spec", "podInfoOnMount"], ["spec", "volumeLifecycleModes"]])
    }
}
