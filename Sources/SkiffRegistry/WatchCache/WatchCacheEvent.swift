/// One change of one object, as the watch cache records and fans it out.
public struct WatchCacheEvent: Sendable {
    public enum Kind: Sendable {
        case added
        case modified
        case deleted
        /// A progress marker carrying only a revision (sent as BOOKMARK to watchers that allow them).
        case bookmark
    }

    public var kind: Kind
    /// The object after the change; for a deletion, its last state stamped with the delete's revision.
    public var object: CachedObject?
    /// The object before the change, when it existed.
    public var previous: CachedObject?
    public var revision: Int64

    public init(kind: Kind, object: CachedObject?, previous: CachedObject?, revision: Int64) {
        self.kind = kind
        self.object = object
        self.previous = previous
        self.revision = revision
    }
}
