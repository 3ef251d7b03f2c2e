import SkiffAPI

/// StatefulSets (apps/v1): names are DNS labels (they prefix pod host names), the pod spec of
/// the template is not validated (as upstream), and only some spec fields may change.
struct StatefulSetStrategy: WorkloadStrategy {
    var scalePaths: ScalePaths? { ScalePaths() }
    var nameRule: NameValidation.Rule { .dns1123Label }
    var initialStatus: JSONValue { ["replicas": 0, "availableReplicas": 0] }

    /// The spec fields an update may change.
    private static let mutableFields = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"]

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("podManagementPolicy", "OrderedReady")
            spec.setDefault("updateStrategy", .emptyObject)
            spec.editMember("updateStrategy") { strategy in
                if strategy.stringValue(at: "type").isEmpty {
                    strategy["type"] = "RollingUpdate"
                    strategy.setDefault("rollingUpdate", .emptyObject)
                }
                if strategy["type"] == "RollingUpdate" { strategy.editMember("rollingUpdate") { $0.setDefault("partition", 0) } }
            }
            spec.setDefault("persistentVolumeClaimRetentionPolicy", .emptyObject)
            spec.editMember("persistentVolumeClaimRetentionPolicy") { policy in
                policy.setDefault("whenDeleted", "Retain")
                policy.setDefault("whenScaled", "Retain")
            }
            spec.setDefault("replicas", 1)
            spec.setDefault("revisionHistoryLimit", 10)
            spec.editElements("volumeClaimTemplates") { claim in
                claim.setDefault("apiVersion", "v1")
                claim.setDefault("kind", "PersistentVolumeClaim")
                claim.setDefault("metadata", .emptyObject)
                claim.editMember("metadata") { if $0["creationTimestamp"] == nil { $0["creationTimestamp"] = .null } }
                PersistentVolumeClaimStrategy.applyClaimDefaults(&claim)
            }
        }
        PodTemplate.applyDefaults(inWorkload: &object)
    }

    func validate(_ object: JSONValue) -> [FieldError] {
        let spec = object["spec"] ?? .emptyObject
        var errors: [FieldError] = []
        switch spec.stringValue(at: "podManagementPolicy") {
        case "": errors.append(.required("spec.podManagementPolicy"))
        case "OrderedReady", "Parallel": break
        case let other: errors.append(.invalid("spec.podManagementPolicy", .string(other), "must be 'OrderedReady' or 'Parallel'"))
        }
        let strategy = spec["updateStrategy"] ?? .emptyObject
        switch strategy.stringValue(at: "type") {
        case "": errors.append(.required("spec.updateStrategy"))
        case "OnDelete":
            if let rolling = strategy["rollingUpdate"] {
                errors.append(.invalid("spec.updateStrategy.rollingUpdate", rolling, "only allowed for updateStrategy 'RollingUpdate'"))
            }
        case "RollingUpdate":
            errors += FieldRules.nonNegative(object, [["spec", "updateStrategy", "rollingUpdate", "partition"]])
        default:
            errors.append(.invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'"))
        }
        for field in ["whenDeleted", "whenScaled"] {
            guard let policy = spec[path: "persistentVolumeClaimRetentionPolicy", field] else { continue }
            if !["Retain", "Delete"].contains(policy.stringValue ?? "") {
                errors.append(.notSupported("spec.persistentVolumeClaimRetentionPolicy.\(field)", policy, supported: ["Retain", "Delete"]))
            }
        }
        errors += FieldRules.nonNegative(object, [["spec", "replicas"], ["spec", "minReadySeconds"]])
        errors += WorkloadValidation.validateSelector(object, rule: .init(kindName: "statefulset"))
        return errors + WorkloadValidation.validateLongRunningTemplate(object, kindName: "StatefulSet", validatePodSpec: false)
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        var new = object["spec"] ?? .emptyObject
        var before = old["spec"] ?? .emptyObject
        for field in Self.mutableFields {
            new[field] = nil
            before[field] = nil
        }
        guard new != before else { return [] }
        return [.forbidden("spec", "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden")]
    }

    var tableColumns: [TableColumn] { [.name, .readyReplicas, .age, .containers, .images] }

    func tableCells(for object: JSONValue, now: Timestamp) -> [JSONValue] {
        [.string(object.name ?? ""), .string("\(object.intValue(at: "status", "readyReplicas"))/\(object.intValue(at: "spec", "replicas"))"),
         .string(Age.since(object, now: now))] + TableFormat.containerCells(object[path: "spec", "template"])
    }
}
