import SkiffAPI

/// One event of a watch (`metav1.WatchEvent`).
public enum WatchEvent<Object: Sendable>: Sendable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    /// The watch has seen everything up to `resourceVersion` (no object changed); resume a watch
    /// from it. `annotations` carry `k8s.io/initial-events-end` after the initial events.
    case bookmark(resourceVersion: String, annotations: [String: String])
    /// The server ended the watch with a `Status` (a `410 Expired` asks for a relist).
    case error(APIError)

    /// The object of an added, modified or deleted event.
    public var object: Object? {
        switch self {
        case .added(let object), .modified(let object), .deleted(let object): object
        case .bookmark, .error: nil
        }
    }
}

extension WatchEvent: Equatable where Object: Equatable {}
