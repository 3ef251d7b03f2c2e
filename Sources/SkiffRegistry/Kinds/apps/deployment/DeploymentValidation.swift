import SkiffAPI

extension DeploymentStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = FieldRules.nonNegative(object, [["spec", "replicas"]])
        errors += WorkloadValidation.validateSelector(object, rule: .init(kindName: "deployment"))
        errors += WorkloadValidation.validateLongRunningTemplate(object, kindName: "ReplicaSet")
        errors += validateStrategy(object[path: "spec", "strategy"])
        errors += FieldRules.nonNegative(object, [["spec", "minReadySeconds"], ["spec", "revisionHistoryLimit"], ["spec", "progressDeadlineSeconds"]])
        if let deadline = object[path: "spec", "progressDeadlineSeconds"]?.intValue, deadline <= object.intValue(at: "spec", "minReadySeconds") {
            errors.append(.invalid("spec.progressDeadlineSeconds", .int(deadline), "must be greater than minReadySeconds"))
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "selector"]])
    }

    private func validateStrategy(_ strategy: JSONValue?) -> [FieldError] {
        switch strategy?.stringValue(at: "type") {
        case "Recreate":
            guard strategy?["rollingUpdate"] != nil else { return [] }
            return [.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'")]
        case "RollingUpdate":
            let unavailable = IntOrPercent(strategy?[path: "rollingUpdate", "maxUnavailable"])
            let surge = IntOrPercent(strategy?[path: "rollingUpdate", "maxSurge"])
            var errors = unavailable.problems(field: "spec.strategy.rollingUpdate.maxUnavailable")
                + surge.problems(field: "spec.strategy.rollingUpdate.maxSurge")
            if unavailable.value == 0 && surge.value == 0 {
                errors.append(.invalid("spec.strategy.rollingUpdate.maxUnavailable", unavailable.json, "may not be 0 when `maxSurge` is 0"))
            }
            return errors + unavailable.notAbove100Percent(field: "spec.strategy.rollingUpdate.maxUnavailable")
        default:
            return [.notSupported("spec.strategy", strategy ?? .null, supported: ["Recreate", "RollingUpdate"])]
        }
    }
}
