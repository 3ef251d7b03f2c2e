import SkiffAPI

extension ReplicationControllerStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors = FieldRules.nonNegative(object, [["spec", "replicas"], ["spec", "minReadySeconds"]])
        let selector = object.stringMap(at: "spec", "selector")
        if selector.isEmpty { errors.append(.required("spec.selector")) }
        for (key, value) in selector.sorted(by: { $0.key < $1.key }) {
            errors += LabelSelector.validateKey(key).map { .invalid("spec.selector", .string(key), $0) }
            errors += LabelSelector.validateValue(value).map { .invalid("spec.selector", .string(value), $0) }
        }
        guard let template = object[path: "spec", "template"], template != .null else {
            errors.append(.required("spec.template"))
            return errors
        }
        let labels = PodTemplate.labels(template)
        if !selector.isEmpty, !selector.allSatisfy({ labels[$0.key] == $0.value }) {
            errors.append(.invalid("spec.template.metadata.labels", .object(labels.mapValues { .string($0) }),
                                   "selector does not match template labels"))
        }
        return errors + WorkloadValidation.validateLongRunningTemplate(object, kindName: "ReplicationController")
    }
}
