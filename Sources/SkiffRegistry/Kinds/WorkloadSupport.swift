import SkiffAPI

/// What every workload with a pod template shares: template defaults, the selector rules
/// (required, matches the template labels, immutable) and the wide columns.
enum WorkloadSupport {
    static func applyTemplateDefaults(_ object: inout JSONValue) {
        guard var spec = object[path: "spec", "template", "spec"] else { return }
        PodSpecDefaults.apply(to: &spec)
        object[path: "spec", "template", "spec"] = spec
        PodSpecDefaults.setIfMissing(&object, "status", .emptyObject)
    }

    static func validateTemplate(_ object: JSONValue, selectorRequired: Bool = true) -> [FieldError] {
        var errors: [FieldError] = []
        let templateLabels = object[path: "spec", "template", "metadata", "labels"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        if let selector = object[path: "spec", "selector"] {
            do {
                let parsed = try LabelSelector(selector: selector)
                if parsed.isEverything {
                    errors.append(.invalid("spec.selector", selector, "empty selector is invalid for deployment"))
                } else if !parsed.matches(templateLabels) {
                    errors.append(.invalid("spec.template.metadata.labels", .object(templateLabels.mapValues(JSONValue.string)),
                                           "`selector` does not match template `labels`"))
                }
            } catch {
                errors += error.details?.causes.map { FieldError($0.type, field: $0.field, detail: $0.message) } ?? []
            }
        } else if selectorRequired {
            errors.append(.required("spec.selector"))
        }
        if object[path: "spec", "template"] == nil {
            errors.append(.required("spec.template"))
        } else {
            errors += PodSpecDefaults.validate(object[path: "spec", "template", "spec"], path: "spec.template.spec")
        }
        if let replicas = object[path: "spec", "replicas"]?.intValue, replicas < 0 {
            errors.append(.invalid("spec.replicas", .int(replicas), "must be greater than or equal to 0"))
        }
        return errors
    }

    static func validateSelectorUnchanged(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        guard let before = old[path: "spec", "selector"], object[path: "spec", "selector"] != before else { return [] }
        return [.invalid("spec.selector", object[path: "spec", "selector"] ?? .null, "field is immutable")]
    }

    /// CONTAINERS, IMAGES and SELECTOR cells.
    static func wideCells(_ object: JSONValue, selector: Bool = true) -> [JSONValue] {
        let containers = object[path: "spec", "template", "spec", "containers"]?.arrayValue ?? []
        var cells: [JSONValue] = [
            .string(containers.compactMap { $0["name"]?.stringValue }.joined(separator: ",")),
            .string(containers.compactMap { $0["image"]?.stringValue }.joined(separator: ",")),
        ]
        if selector { cells.append(.string(selectorText(object[path: "spec", "selector"]))) }
        return cells
    }

    static func selectorText(_ selector: JSONValue?) -> String {
        guard let selector, let parsed = try? LabelSelector(selector: selector) else { return "<none>" }
        return parsed.isEverything ? "<none>" : parsed.description
    }

    static var wideColumns: [TableColumn] {
        [TableColumn("Containers", priority: 1), TableColumn("Images", priority: 1), TableColumn("Selector", priority: 1)]
    }

    static func int(_ object: JSONValue, _ path: String...) -> Int64 {
        object[path: path[...]]?.intValue ?? 0
    }
}

/// Kinds with a pod template and a selector: they track their generation, keep their status on
/// updates of the main resource, validate the template against the selector, and never change
/// the selector.
protocol WorkloadStrategy: ResourceStrategy {}

extension WorkloadStrategy {
    var tracksGeneration: Bool { true }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
    func validate(_ object: JSONValue) -> [FieldError] { WorkloadSupport.validateTemplate(object) }
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { WorkloadSupport.validateSelectorUnchanged(object, old: old) }
}
