import SkiffAPI

/// A stored `ValidatingAdmissionPolicyBinding`: which policy it applies, with which params, to
/// which of the policy's requests, and what a failed validation does.
struct AdmissionPolicyBinding: Sendable {
    /// `spec.paramRef`.
    struct ParamRef: Sendable {
        var name: String
        var namespace: String
        /// Set when `selector` is given (and `name` is not).
        var selector: LabelSelector?
        /// `parameterNotFoundAction: Deny`.
        var deniesWhenNotFound: Bool
    }

    var name: String
    var policyName: String
    var paramRef: ParamRef?
    /// `spec.matchResources`; nil: every request the policy matches.
    var criteria: AdmissionMatchCriteria?
    /// `validationActions`: `Deny`, `Warn`, `Audit`.
    var actions: [String]

    init(_ binding: JSONValue) {
        let spec = binding["spec"] ?? .emptyObject
        name = binding.name ?? ""
        policyName = spec["policyName"]?.stringValue ?? ""
        paramRef = spec["paramRef"].map { ref in
            ParamRef(name: ref["name"]?.stringValue ?? "", namespace: ref["namespace"]?.stringValue ?? "",
                     selector: ref["selector"].map { (try? LabelSelector(selector: $0, fieldPath: "selector")) ?? .nothing },
                     deniesWhenNotFound: ref["parameterNotFoundAction"]?.stringValue == "Deny")
        }
        criteria = spec["matchResources"].map(AdmissionMatchCriteria.init(matchResources:))
        actions = spec["validationActions"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }
}
