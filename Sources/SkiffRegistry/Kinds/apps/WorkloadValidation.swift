import SkiffAPI

/// Validation rules the workload kinds share, with upstream's messages: the selector (required,
/// non-empty, matching the template's labels) and the template of long-running pods.
enum WorkloadValidation {
    /// How a kind treats its selector.
    struct SelectorRule {
        /// The kind's name in "empty selector is invalid for …" (upstream reuses `deployment`
        /// for replica sets); nil when an empty selector is allowed (jobs).
        var kindName: String?
        /// Whether a missing selector is `Required value` (daemon sets only report the label mismatch).
        var required = true
    }

    /// Validates `spec.selector` against `spec.template.metadata.labels`.
    static func validateSelector(_ object: JSONValue, rule: SelectorRule) -> [FieldError] {
        var errors: [FieldError] = []
        let selector = object[path: "spec", "selector"].flatMap { $0 == .null ? nil : $0 }
        var parsed: LabelSelector?
        if let selector {
            do {
                parsed = try LabelSelector(selector: selector)
            } catch {
                errors += error.details?.causes.map { FieldError($0.type, field: $0.field, detail: $0.message) } ?? []
            }
            if let kindName = rule.kindName, (selector["matchLabels"]?.objectValue ?? [:]).isEmpty,
               (selector["matchExpressions"]?.arrayValue ?? []).isEmpty {
                errors.append(.invalid("spec.selector", selector, "empty selector is invalid for \(kindName)"))
            }
        } else if rule.required {
            errors.append(.required("spec.selector"))
        }
        let labels = PodTemplate.labels(object[path: "spec", "template"])
        // A missing selector matches nothing, so the template never matches it (as upstream).
        let mismatch = parsed.map { !$0.isEverything && !$0.matches(labels) } ?? (selector == nil)
        if mismatch {
            errors.append(.invalid("spec.template.metadata.labels", .object(labels.mapValues(JSONValue.string)),
                                   "`selector` does not match template `labels`"))
        }
        return errors
    }

    /// The template rules of pods that run forever (replica sets and deployments use the
    /// replica set's wording): pod spec validation, `restartPolicy: Always`, no active deadline.
    static func validateLongRunningTemplate(_ object: JSONValue, kindName: String, validatePodSpec: Bool = true) -> [FieldError] {
        let template = object[path: "spec", "template"]
        var errors = validatePodSpec ? PodTemplate.validate(template, path: "spec.template")
            : PodTemplate.validateMetadata(template, path: "spec.template")
        let policy = template?.stringValue(at: "spec", "restartPolicy") ?? ""
        if policy != "Always" { errors.append(.notSupported("spec.template.spec.restartPolicy", .string(policy), supported: ["Always"])) }
        if template?[path: "spec", "activeDeadlineSeconds"] != nil {
            errors.append(.forbidden("spec.template.spec.activeDeadlineSeconds", "activeDeadlineSeconds in \(kindName) is not Supported"))
        }
        return errors
    }
}
