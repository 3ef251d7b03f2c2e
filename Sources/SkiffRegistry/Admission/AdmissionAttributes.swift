import SkiffAPI

/// What an admission plugin learns about a write (upstream's `admission.Attributes`).
public struct AdmissionAttributes: Sendable {
    /// The kind of write.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        case create = "CREATE"
        case update = "UPDATE"
        case delete = "DELETE"
        case connect = "CONNECT"
    }

    public var operation: Operation
    /// The kind of the object, in the version of the request.
    public var kind: GroupVersionKind
    /// The resource the request names.
    public var resource: GroupVersionResource
    /// The subresource (`status`, `binding`, `scale`, …), empty for the main resource.
    public var subresource: String
    /// The namespace, empty for cluster-scoped resources.
    public var namespace: String
    /// The object's name; empty on a create that asks for a generated name.
    public var name: String
    /// The object as it will be written (nil for deletes). A mutating plugin may change it.
    public var object: JSONValue?
    /// The object as it is stored (updates and deletes).
    public var oldObject: JSONValue?
    /// Who asks.
    public var userInfo: UserInfo
    /// Whether the request is a dry run: a plugin with side effects must not make them.
    public var dryRun: Bool
    /// The request's options (`CreateOptions`, `UpdateOptions`, `PatchOptions` or `DeleteOptions`).
    public var options: JSONValue?
    /// Where a plugin's warnings for the client go (nil: nobody listens).
    public var warnings: AdmissionWarnings?
    /// Where a plugin's audit annotations go (nil: no audit event listens).
    public var auditAnnotations: AdmissionAuditAnnotations?

    public init(operation: Operation, kind: GroupVersionKind, resource: GroupVersionResource, subresource: String = "",
                namespace: String = "", name: String = "", object: JSONValue? = nil, oldObject: JSONValue? = nil,
                userInfo: UserInfo, dryRun: Bool = false, options: JSONValue? = nil, warnings: AdmissionWarnings? = nil,
                auditAnnotations: AdmissionAuditAnnotations? = nil) {
        self.operation = operation
        self.kind = kind
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
        self.object = object
        self.oldObject = oldObject
        self.userInfo = userInfo
        self.dryRun = dryRun
        self.options = options
        self.warnings = warnings
        self.auditAnnotations = auditAnnotations
    }

    /// The name an admission error names (upstream's `extractResourceName`): the request's name,
    /// else the object's name or `generateName`, else `Unknown`.
    public var nameForErrors: String {
        if !name.isEmpty { return name }
        if let given = object?.name, !given.isEmpty { return given }
        if let prefix = object?.generateName, !prefix.isEmpty { return prefix }
        return "Unknown"
    }
}
