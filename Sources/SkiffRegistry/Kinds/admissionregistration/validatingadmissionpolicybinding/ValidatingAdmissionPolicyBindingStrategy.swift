import SkiffAPI

/// ValidatingAdmissionPolicyBindings (admissionregistration.k8s.io/v1, cluster-scoped): a policy
/// name and at least one validation action, POLICYNAME/PARAMREF columns.
struct ValidatingAdmissionPolicyBindingStrategy: ResourceStrategy {
    static let actions = ["Audit", "Deny", "Warn"]

    var tracksGeneration: Bool { true }

    func applyDefaults(to object: inout JSONValue) {
        object.editMember("spec") { spec in
            spec.editMember("matchResources") { resources in
                resources.setDefault("matchPolicy", "Equivalent")
                resources.setDefault("namespaceSelector", .emptyObject)
                resources.setDefault("objectSelector", .emptyObject)
            }
        }
    }
}
