import SkiffAPI

/// NetworkPolicies (networking.k8s.io/v1): policy types and port protocols defaulted, a valid pod
/// selector, POD-SELECTOR column. Enforcement is a network plugin's.
struct NetworkPolicyStrategy: ResourceStrategy {
    var tracksGeneration: Bool { true }

    /// `policyTypes` is `Ingress`, plus `Egress` when egress rules are given; ports are `TCP`.
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            if spec.elements(at: "policyTypes").isEmpty {
                spec["policyTypes"] = spec.elements(at: "egress").isEmpty ? ["Ingress"] : ["Ingress", "Egress"]
            }
            for direction in ["ingress", "egress"] {
                spec.editElements(direction) { rule in rule.editElements("ports") { $0.setDefault("protocol", "TCP") } }
            }
        }
    }
}
