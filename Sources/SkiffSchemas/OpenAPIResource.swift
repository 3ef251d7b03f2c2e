/// A served resource, as the OpenAPI documents describe it.
public struct OpenAPIResource: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    public var plural: String
    public var namespaced: Bool
    /// Served subresources (`status`, `scale`, `binding`, `finalize`).
    public var subresources: [String]
    /// The schema's definition name, e.g. `io.k8s.api.core.v1.ConfigMap`.
    public var definitionName: String
    /// The PATCH content types the server accepts.
    public var patchTypes: [String]
    /// The verbs served on the collection and its items (`create`, `deletecollection`, …).
    public var verbs: [String]
    /// Whether deleting an item answers with the object (as pods do) rather than a `Status`.
    public var deleteReturnsObject: Bool

    public init(group: String, version: String, kind: String, plural: String, namespaced: Bool, subresources: [String],
                definitionName: String, patchTypes: [String], verbs: [String], deleteReturnsObject: Bool) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.namespaced = namespaced
        self.subresources = subresources
        self.definitionName = definitionName
        self.patchTypes = patchTypes
        self.verbs = verbs
        self.deleteReturnsObject = deleteReturnsObject
    }

    /// `api/v1` or `apis/apps/v1`: the document's path under `/openapi/v3/`.
    public var documentPath: String { group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)" }
}
