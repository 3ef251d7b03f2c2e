import SkiffAPI

extension ReplicaSetStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        FieldRules.nonNegative(object, [["spec", "replicas"], ["spec", "minReadySeconds"]])
            // Upstream's replica set validation names deployments in this message.
            + WorkloadValidation.validateSelector(object, rule: .init(kindName: "deployment"))
            + WorkloadValidation.validateLongRunningTemplate(object, kindName: "ReplicaSet")
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec", "selector"]])
    }
}
