import SkiffAPI

extension PodDisruptionBudgetStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        let spec = object["spec"] ?? .emptyObject
        var errors: [FieldError] = []
        if spec["minAvailable"] != nil && spec["maxUnavailable"] != nil {
            errors.append(.invalid("spec", spec, "minAvailable and maxUnavailable cannot be both set"))
        }
        for field in ["minAvailable", "maxUnavailable"] where spec[field] != nil {
            let value = IntOrPercent(spec[field])
            errors += value.problems(field: "spec.\(field)") + value.notAbove100Percent(field: "spec.\(field)")
        }
        if let selector = spec["selector"] { errors += LabelSelector.validate(selector, fieldPath: "spec.selector") }
        if let policy = spec["unhealthyPodEvictionPolicy"] {
            errors += FieldRules.supported(policy, field: "spec.unhealthyPodEvictionPolicy", values: ["AlwaysAllow", "IfHealthyBudget"])
        }
        return errors
    }
}
