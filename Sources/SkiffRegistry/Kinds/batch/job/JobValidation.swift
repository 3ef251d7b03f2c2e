import SkiffAPI

extension JobStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        WorkloadValidation.validateSelector(object, rule: .init(kindName: nil)) + JobSpecValidation.validate(object["spec"], path: "spec")
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        var errors = FieldRules.immutable(object, old: old, [
            ["spec", "completions"], ["spec", "selector"], ["spec", "completionMode"], ["spec", "podFailurePolicy"],
            ["spec", "backoffLimitPerIndex"], ["spec", "managedBy"], ["spec", "successPolicy"],
        ])
        // A suspended job that never started may change where its pods run.
        let schedulingMutable = old[path: "spec", "suspend"]?.boolValue == true && old[path: "status", "startTime"] == nil
        func comparable(_ template: JSONValue?) -> JSONValue? {
            guard schedulingMutable, var template else { return template }
            template[path: "metadata", "labels"] = nil
            template[path: "metadata", "annotations"] = nil
            for field in ["nodeSelector", "tolerations", "schedulingGates"] { template[path: "spec", field] = nil }
            template[path: "spec", "affinity", "nodeAffinity"] = nil
            if template[path: "spec", "affinity"] == .emptyObject { template[path: "spec", "affinity"] = nil }
            return template
        }
        if comparable(object[path: "spec", "template"]) != comparable(old[path: "spec", "template"]) {
            errors.append(.invalid("spec.template", object[path: "spec", "template"] ?? .null, "field is immutable"))
        }
        return errors
    }
}
