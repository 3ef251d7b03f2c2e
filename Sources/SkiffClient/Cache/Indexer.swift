import SkiffAPI
import Synchronization

/// A thread-safe store of objects by key with secondary indexes (client-go's `cache.Indexer`):
/// what informers fill and listers read. Objects are values, so what a reader gets is its own copy.
public final class Indexer<Object: Sendable>: Sendable {
    /// The index values of an object for one index (e.g. its namespace).
    public typealias IndexFunction = @Sendable (Object) -> [String]

    private struct State {
        var items: [String: Object] = [:]
        /// index name → index value → keys.
        var indices: [String: [String: Set<String>]] = [:]
    }

    private let keyFunction: @Sendable (Object) -> String
    private let indexers: [String: IndexFunction]
    private let state = Mutex(State())

    public init(key: @escaping @Sendable (Object) -> String, indexers: [String: IndexFunction] = [:]) {
        keyFunction = key
        self.indexers = indexers
    }

    /// The key of an object.
    public func key(of object: Object) -> String { keyFunction(object) }

    /// Adds or replaces an object.
    public func add(_ object: Object) {
        let key = keyFunction(object)
        state.withLock { state in
            if let old = state.items[key] { unindex(old, key: key, in: &state) }
            state.items[key] = object
            index(object, key: key, in: &state)
        }
    }

    /// Removes the object with `key`; returns it if it was there.
    @discardableResult
    public func delete(key: String) -> Object? {
        state.withLock { state in
            guard let old = state.items.removeValue(forKey: key) else { return nil }
            unindex(old, key: key, in: &state)
            return old
        }
    }

    /// Replaces the whole contents (after a relist); returns the objects that are gone.
    @discardableResult
    public func replace(_ objects: [Object]) -> [Object] {
        state.withLock { state in
            var fresh = State()
            for object in objects {
                let key = keyFunction(object)
                fresh.items[key] = object
                index(object, key: key, in: &fresh)
            }
            let gone = state.items.filter { fresh.items[$0.key] == nil }.map(\.value)
            state = fresh
            return gone
        }
    }

    public func get(key: String) -> Object? {
        state.withLock { $0.items[key] }
    }

    public func list() -> [Object] {
        state.withLock { Array($0.items.values) }
    }

    public func listKeys() -> [String] {
        state.withLock { Array($0.items.keys) }
    }

    public var count: Int { state.withLock { $0.items.count } }

    /// The objects whose index `name` has `value`.
    public func byIndex(_ name: String, value: String) -> [Object] {
        state.withLock { state in
            (state.indices[name]?[value] ?? []).compactMap { state.items[$0] }
        }
    }

    /// Whether the store maintains the index `name`.
    public func hasIndex(_ name: String) -> Bool { indexers[name] != nil }

    /// The keys of the objects whose index `name` has `value`.
    public func indexKeys(_ name: String, value: String) -> [String] {
        state.withLock { Array($0.indices[name]?[value] ?? []) }
    }

    /// The objects sharing any value of index `name` with `object`.
    public func index(_ name: String, matching object: Object) -> [Object] {
        guard let function = indexers[name] else { return [] }
        let values = function(object)
        return state.withLock { state in
            let keys = values.reduce(into: Set<String>()) { $0.formUnion(state.indices[name]?[$1] ?? []) }
            return keys.compactMap { state.items[$0] }
        }
    }

    private func index(_ object: Object, key: String, in state: inout State) {
        for (name, function) in indexers {
            for value in function(object) { state.indices[name, default: [:]][value, default: []].insert(key) }
        }
    }

    private func unindex(_ object: Object, key: String, in state: inout State) {
        for (name, function) in indexers {
            for value in function(object) {
                state.indices[name]?[value]?.remove(key)
                if state.indices[name]?[value]?.isEmpty == true { state.indices[name]?[value] = nil }
            }
        }
    }
}

extension Indexer where Object == JSONValue {
    /// The name of the built-in namespace index.
    public static let namespaceIndex = "namespace"
    /// The name of the index of typed objects by controller: the UID of the owner reference
    /// marked `controller`, or `orphanValue(namespace:)` for objects no controller controls.
    public static let controllerIndex = "controller"

    /// The controller index's value of the objects in `namespace` that no controller controls.
    public static func orphanValue(namespace: String) -> String { "orphan:" + namespace }

    /// A store of API objects keyed `namespace/name` (or `name`), with the namespace index and any
    /// further indexes.
    public static func objects(indexers: [String: IndexFunction] = [:]) -> Indexer<JSONValue> {
        var all = indexers
        all[namespaceIndex] = { object in [object.namespace ?? ""] }
        return Indexer(key: ObjectKey.of, indexers: all)
    }
}

extension Indexer where Object: KubernetesObject {
    /// A store of typed objects keyed `namespace/name` (or `name`), with the namespace index and
    /// the controller index (`TypedNamespaceLister.claimable(by:)`).
    public static func typedObjects() -> Indexer<Object> {
        Indexer(key: { $0.cacheKey }, indexers: [
            Indexer<JSONValue>.namespaceIndex: { [$0.namespace] },
            Indexer<JSONValue>.controllerIndex: { object in
                [object.metadata?.controllerReference?.uid ?? Indexer<JSONValue>.orphanValue(namespace: object.namespace)]
            },
        ])
    }
}

/// Object keys as client-go's `MetaNamespaceKeyFunc` makes them.
public enum ObjectKey {
    /// `namespace/name`, or `name` for cluster-scoped objects.
    public static func of(_ object: JSONValue) -> String {
        make(namespace: object.namespace, name: object.name ?? "")
    }

    public static func make(namespace: String?, name: String) -> String {
        guard let namespace, !namespace.isEmpty else { return name }
        return namespace + "/" + name
    }

    /// Splits a key into namespace and name.
    public static func split(_ key: String) -> (namespace: String?, name: String) {
        guard let slash = key.firstIndex(of: "/") else { return (nil, key) }
        return (String(key[..<slash]), String(key[key.index(after: slash)...]))
    }
}
