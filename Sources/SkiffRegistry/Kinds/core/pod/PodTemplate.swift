import SkiffAPI

/// Pod templates inside workloads (`spec.template` of deployments, replica sets, stateful sets,
/// daemon sets and jobs): their defaults and the validation every template gets.
enum PodTemplate {
    /// Defaults a template: the pod spec defaults, and `metadata.creationTimestamp: null`, which
    /// upstream always writes for the template's (zero) creation time.
    static func applyDefaults(toTemplate template: inout JSONValue) {
        template.setDefault("metadata", .emptyObject)
        template.editMember("metadata") { metadata in
            if metadata["creationTimestamp"] == nil { metadata["creationTimestamp"] = .null }
        }
        template.setDefault("spec", .emptyObject)
        template.editMember("spec", PodSpecDefaults.apply)
    }

    /// Defaults the template at `spec.template` of a workload.
    static func applyDefaults(inWorkload object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("template", .emptyObject)
            spec.editMember("template", applyDefaults(toTemplate:))
        }
    }

    /// Validates a template's labels, annotations and pod spec (`ValidatePodTemplateSpec`), at
    /// `path` (e.g. `spec.template`).
    static func validate(_ template: JSONValue?, path: String) -> [FieldError] {
        validateMetadata(template, path: path) + PodSpecValidation.validate(template?["spec"], path: "\(path).spec")
    }

    /// Validates a template's labels and annotations only (stateful sets skip the pod spec, as
    /// upstream). The paths have no `metadata` segment, as upstream's.
    static func validateMetadata(_ template: JSONValue?, path: String) -> [FieldError] {
        var errors: [FieldError] = []
        for (key, value) in (template?.stringMap(at: "metadata", "labels") ?? [:]).sorted(by: { $0.key < $1.key }) {
            errors += LabelSelector.validateKey(key).map { .invalid("\(path).labels", .string(key), $0) }
            errors += LabelSelector.validateValue(value).map { .invalid("\(path).labels", .string(value), $0) }
        }
        for key in (template?[path: "metadata", "annotations"]?.objectValue ?? [:]).keys.sorted() {
            errors += LabelSelector.validateKey(key).map { .invalid("\(path).annotations", .string(key), $0) }
        }
        return errors
    }

    /// The template's labels.
    static func labels(_ template: JSONValue?) -> [String: String] {
        template?.stringMap(at: "metadata", "labels") ?? [:]
    }
}
