/// What a reconciler is asked to reconcile: one object, by namespace and name
/// (controller-runtime's `reconcile.Request`). The object may be gone by then.
public struct Request: Hashable, Sendable, CustomStringConvertible {
    /// The object's namespace; empty for cluster-scoped objects.
    public var namespace: String
    public var name: String

    public init(namespace: String = "", name: String) {
        self.namespace = namespace
        self.name = name
    }

    /// The request of a cache key (`namespace/name`, or `name`).
    public init(key: String) {
        if let slash = key.firstIndex(of: "/") {
            self.init(namespace: String(key[..<slash]), name: String(key[key.index(after: slash)...]))
        } else {
            self.init(name: key)
        }
    }

    /// The cache key: `namespace/name`, or `name` for cluster-scoped objects.
    public var key: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }

    public var description: String { key }
}
