/// The type of a watch event as the API sends it (`"type"` of `metav1.WatchEvent`).
public enum WatchEventType: String, Sendable, Hashable {
    case added = "ADDED"
    case modified = "MODIFIED"
    case deleted = "DELETED"
    /// No object changed; the event carries a resourceVersion to resume from.
    case bookmark = "BOOKMARK"
    /// The watch ends with the `Status` the event carries.
    case error = "ERROR"
}

/// One event of an API watch (`metav1.WatchEvent`), as a client decodes it.
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The watch has seen everything up to `resourceVersion` (no object changed); resume a watch
    /// from it. `annotations` carry `k8s.io/initial-events-end` after the initial events.
    case bookmark(resourceVersion: String, annotations: [String: String])
    /// The server ended the watch with a `Status` (a `410 Expired` asks for a relist).
    case error(APIError)

    /// The event's type on the wire.
    public var type: WatchEventType {
        switch self {
        case .added: .added
        case .modified: .modified
        case .deleted: .deleted
        case .bookmark: .bookmark
        case .error: .error
        }
    }

    /// The object of an added, modified or deleted event.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark, .error: nil
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}
