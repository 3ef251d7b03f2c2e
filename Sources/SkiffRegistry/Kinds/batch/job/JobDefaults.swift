import SkiffAPI

extension JobStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            if spec["completions"] == nil && spec["parallelism"] == nil {
                spec["completions"] = 1
                spec["parallelism"] = 1
            }
            spec.setDefault("parallelism", 1)
            let perIndex = spec["backoffLimitPerIndex"] != nil
            spec.setDefault("backoffLimit", perIndex ? .int(Int64(Int32.max)) : 6)
            spec.setDefault("completionMode", "NonIndexed")
            spec.setDefault("suspend", false)
            spec.editMember("podFailurePolicy") { policy in
                policy.editElements("rules") { $0.editElements("onPodConditions") { $0.setDefault("status", "True") } }
            }
            let failurePolicy = spec["podFailurePolicy"] != nil
            spec.setDefault("podReplacementPolicy", failurePolicy ? "Failed" : "TerminatingOrFailed")
            spec.setDefault("manualSelector", false)
        }
        // A job without labels takes its template's (which carry the generated ones).
        if object.labels.isEmpty, let labels = object[path: "spec", "template", "metadata", "labels"] {
            object[path: "metadata", "labels"] = labels
        }
        PodTemplate.applyDefaults(inWorkload: &object)
    }
}
