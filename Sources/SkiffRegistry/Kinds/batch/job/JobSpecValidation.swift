import SkiffAPI

/// Validation of a job spec, shared by jobs and cron jobs' job templates (`validateJobSpec`):
/// non-negative counts, the completion mode, and a template whose pods end (`OnFailure` or
/// `Never`).
enum JobSpecValidation {
    /// Validates the job spec at `path` (`spec` or `spec.jobTemplate.spec`).
    static func validate(_ spec: JSONValue?, path: String) -> [FieldError] {
        let spec = spec ?? .emptyObject
        var errors: [FieldError] = []
        for field in ["parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"] {
            if let value = spec[field]?.intValue, value < 0 {
                errors.append(.invalid("\(path).\(field)", .int(value), "must be greater than or equal to 0"))
            }
        }
        if let mode = spec["completionMode"] {
            if !["NonIndexed", "Indexed"].contains(mode.stringValue ?? "") {
                errors.append(.notSupported("\(path).completionMode", mode, supported: ["NonIndexed", "Indexed"]))
            } else if mode == "Indexed" && spec["completions"] == nil {
                errors.append(.required("\(path).completions", "when completion mode is Indexed"))
            }
        }
        let template = spec["template"]
        errors += PodTemplate.validate(template, path: "\(path).template")
        let policy = template?.stringValue(at: "spec", "restartPolicy") ?? ""
        if policy != "OnFailure" && policy != "Never" {
            errors.append(.notSupported("\(path).template.spec.restartPolicy", .string(policy), supported: ["OnFailure", "Never"]))
        }
        return errors
    }
}
