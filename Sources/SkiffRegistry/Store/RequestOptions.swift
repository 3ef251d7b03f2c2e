import SkiffAPI

/// What the store needs to know of a create, update or patch (decoded from the API's
/// `CreateOptions`, `UpdateOptions` and `PatchOptions`).
public struct WriteOptions: Sendable {
    /// `dryRun=All`: everything but the write.
    public var dryRun = false
    /// Who makes the write; its changes are recorded in `metadata.managedFields` under this name.
    /// Nil: nothing is recorded.
    public var fieldManager: String?
    /// `.update` for creates, updates and patches, whose changed fields the store records;
    /// `.apply` for server-side apply, whose transform records them itself.
    public var operation: ManagedFields.Operation = .update

    public init(dryRun: Bool = false, fieldManager: String? = nil, operation: ManagedFields.Operation = .update) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.operation = operation
    }
}

/// A list result: the objects and the list's metadata.
public struct ListResult: Sendable {
    public var items: [CachedObject]
    /// The list's `resourceVersion`.
    public var revision: Int64
    public var continueToken: String?
    public var remainingItemCount: Int64?
}

/// What a delete did.
public enum DeleteOutcome: Sendable {
    /// The object is gone; this was its last state.
    case deleted(JSONValue)
    /// Deletion has started (finalizers or a grace period hold the object); its current state.
    case pending(JSONValue)
}
