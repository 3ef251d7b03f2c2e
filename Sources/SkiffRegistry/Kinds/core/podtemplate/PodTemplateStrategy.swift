import SkiffAPI

/// PodTemplates (core/v1): a stored pod template, defaulted and validated as workloads' are,
/// with kubectl's CONTAINERS/IMAGES/POD LABELS columns (no AGE, as upstream).
struct PodTemplateStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("template", .emptyObject)
        object.editMember("template", PodTemplate.applyDefaults(toTemplate:))
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        PodTemplate.validate(object["template"], path: "template")
    }
}
