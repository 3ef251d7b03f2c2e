import SkiffAPI

extension NetworkPolicyStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if let selector = object[path: "spec", "podSelector"] {
            errors += LabelSelector.validate(selector, fieldPath: "spec.podSelector")
        }
        for (index, type) in object.elements(at: "spec", "policyTypes").enumerated() where !["Egress", "Ingress"].contains(type.stringValue ?? "") {
            errors.append(.notSupported("spec.policyTypes[\(index)]", type, supported: ["Ingress", "Egress"]))
        }
        for direction in ["ingress", "egress"] {
            for (ruleIndex, rule) in object.elements(at: "spec", direction).enumerated() {
                for (portIndex, port) in rule.elements(at: "ports").enumerated() {
                    errors += FieldRules.supported(port["protocol"], field: "spec.\(direction)[\(ruleIndex)].ports[\(portIndex)].protocol",
                                                   values: ["SCTP", "TCP", "UDP"])
                }
            }
        }
        return errors
    }
}
