import SkiffAPI

/// ValidatingAdmissionPolicies (admissionregistration.k8s.io/v1, cluster-scoped): status (type
/// checking) kept on main-resource writes, upstream's defaults, VALIDATIONS/PARAMKIND columns.
/// Evaluating the policies is the admission's (security issue), not done here.
struct ValidatingAdmissionPolicyStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { nil }

    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("spec", .emptyObject)
        object.editMember("spec") { spec in
            spec.setDefault("failurePolicy", "Fail")
            spec.editMember("matchConstraints") { constraints in
                constraints.setDefault("matchPolicy", "Equivalent")
                constraints.setDefault("namespaceSelector", .emptyObject)
                constraints.setDefault("objectSelector", .emptyObject)
                constraints.editElements("resourceRules") { $0.setDefault("scope", "*") }
            }
        }
    }
}
