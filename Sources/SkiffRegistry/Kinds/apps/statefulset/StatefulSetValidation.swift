import SkiffAPI

extension StatefulSetStrategy {
    /// The spec fields an update may change.
    private static let mutableFields = ["replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy", "minReadySeconds"]

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
}
