/// What a reflector writes into (the part of client-go's `cache.Store` it uses).
public protocol ReflectorStore<Object>: Sendable {
    associatedtype Object: Sendable
    /// The complete contents after a list, read at `resourceVersion`.
    func replace(_ objects: [Object], resourceVersion: String)
    func add(_ object: Object)
    func update(_ object: Object)
    func delete(_ object: Object)
    /// The periodic resync: re-deliver every object.
    func resync()
}
