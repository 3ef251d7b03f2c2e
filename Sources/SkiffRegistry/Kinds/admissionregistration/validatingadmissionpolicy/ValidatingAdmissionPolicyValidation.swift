import SkiffAPI

extension ValidatingAdmissionPolicyStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object.elements(at: "spec", "validations").isEmpty && object.elements(at: "spec", "auditAnnotations").isEmpty {
            errors.append(.required("spec.validations", "validations or auditAnnotations must contain at least one item"))
        }
        for (index, validation) in object.elements(at: "spec", "validations").enumerated() where validation.stringValue(at: "expression").isEmpty {
            errors.append(.required("spec.validations[\(index)].expression"))
        }
        errors += FieldRules.supported(object[path: "spec", "failurePolicy"], field: "spec.failurePolicy", values: ["Fail", "Ignore"])
        if object[path: "spec", "matchConstraints"] == nil { errors.append(.required("spec.matchConstraints")) }
        return errors + Self.expressionErrors(object)
    }
}
