/// The variables an expression may reference, with their types.
public struct CELEnvironment: Sendable {
    /// The declared variables by name.
    public var variables: [String: CELType]

    /// An environment with the given variables.
    public init(variables: [String: CELType] = [:]) { self.variables = variables }

    /// The environment of a CRD validation rule on a schema node: `self`, and `oldSelf` (of the
    /// same type, or `optional_type` of it when the rule sets `optionalOldSelf`).
    public static func crdRule(schema: CELSchema, isResourceRoot: Bool = false, optionalOldSelf: Bool = false) -> CELEnvironment {
        let typed = isResourceRoot ? schema.withTypeAndObjectMeta() : schema
        let selfType = typed.celType(name: "self")
        return CELEnvironment(variables: ["self": selfType, "oldSelf": optionalOldSelf ? CELType(.optional(selfType)) : selfType])
    }

    /// The environment of a ValidatingAdmissionPolicy expression: `object`, `oldObject`,
    /// `request`, `params`, `namespaceObject`, `variables` and `authorizer` (with
    /// `authorizer.requestResource`, `CELAuthorizer.type`); schemas type `object`,
    /// `oldObject` and `params` when known, and `variables` is the object of the given variables'
    /// types when they are known; otherwise they are `dyn`.
    public static func admissionPolicy(objectSchema: CELSchema? = nil, paramsSchema: CELSchema? = nil,
                                       variables: [String: CELType]? = nil) -> CELEnvironment {
        let objectType = objectSchema?.withTypeAndObjectMeta().celType(name: "Object") ?? .dyn
        let variablesType = variables.map { CELType(.object(CELObjectType(name: "kubernetes.variables", fields: $0))) } ?? .dyn
        return CELEnvironment(variables: [
            "object": objectType, "oldObject": objectType, "request": .dyn,
            "params": paramsSchema?.withTypeAndObjectMeta().celType(name: "Params") ?? .dyn, "namespaceObject": .dyn,
            "variables": variablesType, "authorizer": CELAuthorizer.type,
        ])
    }
}
