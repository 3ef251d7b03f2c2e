import SkiffAPI

extension DaemonSetStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = WorkloadValidation.validateSelector(object, rule: .init(kindName: "daemonset", required: false))
        errors += WorkloadValidation.validateLongRunningTemplate(object, kindName: "DaemonSet")
        errors += FieldRules.nonNegative(object, [["spec", "minReadySeconds"]])
        let strategy = object[path: "spec", "updateStrategy"] ?? .emptyObject
        switch strategy.stringValue(at: "type") {
        case "OnDelete": break
        case "RollingUpdate":
            guard strategy["rollingUpdate"] != nil else {
                errors.append(.required("spec.updateStrategy.rollingUpdate"))
                break
            }
            let path = "spec.updateStrategy.rollingUpdate"
            let unavailable = IntOrPercent(strategy[path: "rollingUpdate", "maxUnavailable"])
            let surge = IntOrPercent(strategy[path: "rollingUpdate", "maxSurge"])
            errors += unavailable.problems(field: "\(path).maxUnavailable") + surge.problems(field: "\(path).maxSurge")
            errors += unavailable.notAbove100Percent(field: "\(path).maxUnavailable") + surge.notAbove100Percent(field: "\(path).maxSurge")
            switch (unavailable.value != 0, surge.value != 0) {
            case (true, true): errors.append(.invalid("\(path).maxSurge", surge.json, "may not be set when maxUnavailable is non-zero"))
            case (false, false): errors.append(.required("\(path).maxUnavailable", "cannot be 0 when maxSurge is 0"))
            default: break
            }
        default:
            errors.append(.notSupported("spec.updateStrategy", strategy, supported: ["RollingUpdate", "OnDelete"]))
        }
        return errors + FieldRules.nonNegative(object, [["spec", "revisionHistoryLimit"]])
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "selector"]])
    }
}
