/// What strategic merge patch needs to know about a type: for each field, how lists and maps
/// under it merge and what schema its values have. Built-in kinds answer from their OpenAPI
/// definitions (`x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`).
public protocol PatchSchema: Sendable {
    /// The schema of field `name` of an object of this type, or nil when unknown.
    func field(_ name: String) -> PatchField?
    /// The schema of the values of a map (`additionalProperties`), or nil.
    var mapValues: (any PatchSchema)? { get }
}

/// How one field merges.
public struct PatchField: Sendable {
    /// The patch strategies (`merge`, `replace`, `retainKeys`).
    public var strategies: Set<String>
    /// The key list elements are merged by, for lists of objects with the `merge` strategy.
    public var mergeKey: String?
    /// The schema of the field's value (for a list, of its elements).
    public var schema: (any PatchSchema)?

    public init(strategies: Set<String>, mergeKey: String?, schema: (any PatchSchema)?) {
        self.strategies = strategies
        self.mergeKey = mergeKey
        self.schema = schema
    }
}
