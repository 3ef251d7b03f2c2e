import SkiffAPI

extension ValidatingAdmissionPolicyBindingStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object.stringValue(at: "spec", "policyName").isEmpty { errors.append(.required("spec.policyName")) }
        let actions = object.elements(at: "spec", "validationActions")
        if actions.isEmpty { errors.append(.required("spec.validationActions", "at least one validation action is required")) }
        for (index, action) in actions.enumerated() where !Self.actions.contains(action.stringValue ?? "") {
            errors.append(.notSupported("spec.validationActions[\(index)]", action, supported: Self.actions))
        }
        return errors
    }
}
