import SkiffAPI

extension FlowSchemaStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object.stringValue(at: "spec", "priorityLevelConfiguration", "name").isEmpty {
            errors.append(.required("spec.priorityLevelConfiguration.name", "must reference a priority level"))
        }
        let precedence = object.intValue(at: "spec", "matchingPrecedence")
        if !(1...10000).contains(precedence) {
            errors.append(.invalid("spec.matchingPrecedence", .int(precedence), "must be between 1 and 10000, inclusive"))
        }
        if let method = object[path: "spec", "distinguisherMethod"], method != .null {
            errors += FieldRules.supported(method["type"], field: "spec.distinguisherMethod.type", values: ["ByNamespace", "ByUser"])
        }
        return errors
    }
}
