import SkiffAPI

extension PriorityClassStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        let name = object.name ?? ""
        let value = object.intValue(at: "value")
        if name.hasPrefix("system-") {
            let known = Self.systemClasses.contains { $0.name == name && $0.value == value } && object["globalDefault"]?.boolValue != true
            if !known { errors.append(.forbidden("metadata.name", "priority class names with 'system-' prefix are reserved")) }
        } else if value > Self.highestUserDefinable {
            errors.append(.forbidden("value", "maximum allowed value of a user defined priority is \(Self.highestUserDefinable)"))
        }
        if let policy = object["preemptionPolicy"] {
            errors += FieldRules.supported(policy, field: "preemptionPolicy", values: Self.preemptionPolicies)
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object["value"] != old["value"] { errors.append(.forbidden("value", "may not be changed in an update.")) }
        return errors + FieldRules.immutable(object, old: old, [["preemptionPolicy"]])
    }
}
