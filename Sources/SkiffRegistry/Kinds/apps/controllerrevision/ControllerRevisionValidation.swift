import SkiffAPI

extension ControllerRevisionStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object["data"] == nil || object["data"] == .null { errors.append(.required("data", "data is mandatory")) }
        return errors + FieldRules.nonNegative(object, [["revision"]])
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["data"]])
    }
}
