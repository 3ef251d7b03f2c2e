import SkiffAPI

/// One page of a list: the items and the list's metadata (its resourceVersion and the
/// `continue` token of the next page).
public struct ObjectList<Object: Sendable>: Sendable {
    public var metadata: ListMeta
    public var items: [Object]

    public init(metadata: ListMeta = ListMeta(), items: [Object] = []) {
        self.metadata = metadata
        self.items = items
    }

    /// The resourceVersion the list was read at: watch from it to see every later change.
    public var resourceVersion: String { metadata.resourceVersion ?? "" }
    /// The token of the next page, nil on the last one.
    public var continueToken: String? { metadata.continue.flatMap { $0.isEmpty ? nil : $0 } }
}

extension ObjectList: Equatable where Object: Equatable {}
