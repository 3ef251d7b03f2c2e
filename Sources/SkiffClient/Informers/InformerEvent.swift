/// A change an informer tells its handlers about.
public enum InformerEvent<Object: Sendable>: Sendable {
    /// A new object; `isInInitialList` for objects of the first list (and the synthetic adds a
    /// handler registered late receives).
    case added(Object, isInInitialList: Bool)
    /// A changed object (or, on resync, the same object twice).
    case updated(old: Object, new: Object)
    /// A deleted object.
    case deleted(DeletedObject<Object>)
}

/// What a delete handler receives (client-go hands `DeletedFinalStateUnknown` tombstones
/// to `OnDelete` when the delete itself was missed).
public enum DeletedObject<Object: Sendable>: Sendable {
    /// The object as the watch reported its deletion.
    case object(Object)
    /// The object vanished while the watch was down: noticed on a relist, so its final state is
    /// unknown; `lastKnown` is the version the cache had.
    case finalStateUnknown(key: String, lastKnown: Object)

    /// The object, or the last known state of it.
    public var object: Object {
        switch self {
        case .object(let object): object
        case .finalStateUnknown(_, let lastKnown): lastKnown
        }
    }
}
