import SkiffAPI

extension PriorityLevelConfigurationStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        let type = object[path: "spec", "type"]
        var errors = FieldRules.supported(type, field: "spec.type", values: ["Exempt", "Limited"])
        if type?.stringValue == "Limited", object[path: "spec", "limited"] == nil {
            errors.append(.required("spec.limited", "must not be empty when type is Limited"))
        }
        if type?.stringValue == "Limited", let response = object[path: "spec", "limited", "limitResponse", "type"] {
            errors += FieldRules.supported(response, field: "spec.limited.limitResponse.type", values: ["Queue", "Reject"])
        }
        return errors
    }
}
