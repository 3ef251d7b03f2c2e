import SkiffAPI

/// A stored `ValidatingAdmissionPolicy` (with upstream's defaults), its expressions compiled.
struct AdmissionPolicy: Sendable {
    /// One `validations[]` entry.
    struct Validation: Sendable {
        var expression: PolicyExpression
        var message: String
        var messageExpression: PolicyExpression?
        /// `Invalid` (the default), `Forbidden`, `Unauthorized` or `RequestEntityTooLarge`.
        var reason: StatusReason
    }

    /// `spec.paramKind`.
    struct ParamKind: Sendable {
        var apiVersion: String
        var kind: String

        /// As Go prints a `GroupVersionKind`: `/v1, Kind=ConfigMap`, `example.com/v1, Kind=Limits`.
        var description: String {
            let version = GroupVersion(apiVersion: apiVersion) ?? GroupVersion(group: "", version: apiVersion)
            return GroupVersionKind(group: version.group, version: version.version, kind: kind).goDescription
        }
    }

    var name: String
    /// The resource version the expressions were compiled from.
    var resourceVersion: String
    /// `failurePolicy: Ignore`: errors (compile, runtime, configuration, missing params) let the request through.
    var failsOpen: Bool
    var paramKind: ParamKind?
    var criteria: AdmissionMatchCriteria
    var matchConditions: [PolicyExpression]
    /// `variables`, in order; each may read those before it.
    var variables: [(name: String, expression: PolicyExpression)]
    var validations: [Validation]
    var auditAnnotations: [(key: String, value: PolicyExpression)]

    init(_ policy: JSONValue) {
        let spec = policy["spec"] ?? .emptyObject
        func entries(_ key: String) -> [JSONValue] { spec[key]?.arrayValue ?? [] }
        name = policy.name ?? ""
        resourceVersion = policy.resourceVersion ?? ""
        failsOpen = spec["failurePolicy"]?.stringValue == "Ignore"
        paramKind = spec["paramKind"].map {
            ParamKind(apiVersion: $0["apiVersion"]?.stringValue ?? "", kind: $0["kind"]?.stringValue ?? "")
        }
        criteria = AdmissionMatchCriteria(matchResources: spec["matchConstraints"] ?? .emptyObject)
        matchConditions = entries("matchConditions").map { PolicyExpression($0["expression"]?.stringValue ?? "") }
        variables = entries("variables").map {
            (name: $0["name"]?.stringValue ?? "", expression: PolicyExpression($0["expression"]?.stringValue ?? ""))
        }
        validations = entries("validations").map { validation in
            Validation(expression: PolicyExpression(validation["expression"]?.stringValue ?? ""),
                       message: validation["message"]?.stringValue ?? "",
                       messageExpression: validation["messageExpression"]?.stringValue.map(PolicyExpression.init),
                       reason: validation["reason"]?.stringValue.map { StatusReason(rawValue: $0) } ?? .invalid)
        }
        auditAnnotations = entries("auditAnnotations").map {
            (key: $0["key"]?.stringValue ?? "", value: PolicyExpression($0["valueExpression"]?.stringValue ?? ""))
        }
    }
}
