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

/// Deployments.
struct DeploymentStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
    var scalePaths: ScalePaths? { ScalePaths() }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = .emptyObject }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "replicas", 1)
        PodSpecDefaults.setIfMissing(&spec, "strategy", ["type": "RollingUpdate"])
        if spec[path: "strategy", "type"]?.stringValue == "RollingUpdate" {
            var rolling = spec[path: "strategy", "rollingUpdate"] ?? .emptyObject
            PodSpecDefaults.setIfMissing(&rolling, "maxUnavailable", "25%")
            PodSpecDefaults.setIfMissing(&rolling, "maxSurge", "25%")
            spec[path: "strategy", "rollingUpdate"] = rolling
        }
        PodSpecDefaults.setIfMissing(&spec, "revisionHistoryLimit", 10)
        PodSpecDefaults.setIfMissing(&spec, "progressDeadlineSeconds", 600)
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    func validate(_ object: JSONValue) -> [FieldError] { WorkloadSupport.validateTemplate(object) }
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { WorkloadSupport.validateSelectorUnchanged(object, old: old) }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Ready"), TableColumn("Up-to-date", type: "integer"), TableColumn("Available", type: "integer"), .age]
            + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let ready = WorkloadSupport.int(object, "status", "readyReplicas")
        let desired = WorkloadSupport.int(object, "spec", "replicas")
        return [.string(object.name ?? ""), .string("\(ready)/\(desired)"), .int(WorkloadSupport.int(object, "status", "updatedReplicas")),
                .int(WorkloadSupport.int(object, "status", "availableReplicas")), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}

/// ReplicaSets.
struct ReplicaSetStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
    var scalePaths: ScalePaths? { ScalePaths() }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = ["replicas": 0] }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
        PodSpecDefaults.setIfMissing(&object, "spec", .emptyObject)
        if object[path: "spec", "replicas"] == nil { object[path: "spec", "replicas"] = 1 }
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    func validate(_ object: JSONValue) -> [FieldError] { WorkloadSupport.validateTemplate(object) }
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { WorkloadSupport.validateSelectorUnchanged(object, old: old) }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"), .age]
            + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .int(WorkloadSupport.int(object, "spec", "replicas")), .int(WorkloadSupport.int(object, "status", "replicas")),
         .int(WorkloadSupport.int(object, "status", "readyReplicas")), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}

/// StatefulSets.
struct StatefulSetStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }
    var scalePaths: ScalePaths? { ScalePaths() }

    func prepareForCreate(_ object: inout JSONValue) { object["status"] = ["replicas": 0, "availableReplicas": 0] }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "replicas", 1)
        PodSpecDefaults.setIfMissing(&spec, "podManagementPolicy", "OrderedReady")
        PodSpecDefaults.setIfMissing(&spec, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["partition": 0]])
        PodSpecDefaults.setIfMissing(&spec, "revisionHistoryLimit", 10)
        PodSpecDefaults.setIfMissing(&spec, "persistentVolumeClaimRetentionPolicy", ["whenDeleted": "Retain", "whenScaled": "Retain"])
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    func validate(_ object: JSONValue) -> [FieldError] { WorkloadSupport.validateTemplate(object) }
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { WorkloadSupport.validateSelectorUnchanged(object, old: old) }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Ready"), .age, TableColumn("Containers", priority: 1), TableColumn("Images", priority: 1)]
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""),
         .string("\(WorkloadSupport.int(object, "status", "readyReplicas"))/\(WorkloadSupport.int(object, "spec", "replicas"))"),
         .string(Age.since(object, now: now))] + WorkloadSupport.wideCells(object, selector: false)
    }
}

/// DaemonSets.
struct DaemonSetStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    func prepareForCreate(_ object: inout JSONValue) {
        object["status"] = ["currentNumberScheduled": 0, "desiredNumberScheduled": 0, "numberMisscheduled": 0, "numberReady": 0]
    }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }

    func applyDefaults(to object: inout JSONValue) {
        var spec = object["spec"] ?? .emptyObject
        PodSpecDefaults.setIfMissing(&spec, "updateStrategy", ["type": "RollingUpdate", "rollingUpdate": ["maxUnavailable": 1, "maxSurge": 0]])
        PodSpecDefaults.setIfMissing(&spec, "revisionHistoryLimit", 10)
        object["spec"] = spec
        WorkloadSupport.applyTemplateDefaults(&object)
    }

    func validate(_ object: JSONValue) -> [FieldError] { WorkloadSupport.validateTemplate(object) }
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] { WorkloadSupport.validateSelectorUnchanged(object, old: old) }

    var tableColumns: [TableColumn] {
        [.name, TableColumn("Desired", type: "integer"), TableColumn("Current", type: "integer"), TableColumn("Ready", type: "integer"),
         TableColumn("Up-to-date", type: "integer"), TableColumn("Available", type: "integer"), TableColumn("Node Selector"), .age]
            + WorkloadSupport.wideColumns
    }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        let nodeSelector = (object[path: "spec", "template", "spec", "nodeSelector"]?.objectValue ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value.stringValue ?? "")" }.joined(separator: ",")
        return [.string(object.name ?? ""), .int(WorkloadSupport.int(object, "status", "desiredNumberScheduled")),
                .int(WorkloadSupport.int(object, "status", "currentNumberScheduled")), .int(WorkloadSupport.int(object, "status", "numberReady")),
                .int(WorkloadSupport.int(object, "status", "updatedNumberScheduled")), .int(WorkloadSupport.int(object, "status", "numberAvailable")),
                .string(nodeSelector.isEmpty ? "<none>" : nodeSelector), .string(Age.since(object, now: now))]
            + WorkloadSupport.wideCells(object)
    }
}
