import SkiffAPI

/// Reads typed objects from an informer's store (the typed twin of `Lister`):
/// `lister.list(selector)`, `lister.namespace("ns").get("name")`.
public struct TypedLister<Object: KubernetesObject>: Sendable {
    let indexer: Indexer<Object>

    public init(indexer: Indexer<Object>) {
        self.indexer = indexer
    }

    /// Every object the selector selects.
    public func list(_ selector: LabelSelector = LabelSelector()) -> [Object] {
        indexer.list().filter { selector.matches($0.metadata?.labels ?? [:]) }
    }

    /// How many objects the cache holds (without copying them, as `list().count` would).
    public var count: Int { indexer.count }

    /// A view of one namespace.
    public func namespace(_ namespace: String) -> TypedNamespaceLister<Object> {
        TypedNamespaceLister(indexer: indexer, namespace: namespace)
    }

    /// A cluster-scoped object by name.
    public func get(_ name: String) -> Object? {
        indexer.get(key: name)
    }
}

/// The typed objects of one namespace in an informer's store.
public struct TypedNamespaceLister<Object: KubernetesObject>: Sendable {
    let indexer: Indexer<Object>
    let namespace: String

    public func list(_ selector: LabelSelector = LabelSelector()) -> [Object] {
        indexer.byIndex(Indexer<JSONValue>.namespaceIndex, value: namespace).filter { selector.matches($0.metadata?.labels ?? [:]) }
    }

    public func get(_ name: String) -> Object? {
        indexer.get(key: namespace.isEmpty ? name : "\(namespace)/\(name)")
    }
}

extension SharedInformer where Object == JSONValue {
    /// A lister over the informer's cache.
    public var lister: Lister { Lister(indexer: indexer) }
}

extension SharedInformer where Object: KubernetesObject {
    /// A lister over the informer's cache.
    public var lister: TypedLister<Object> { TypedLister(indexer: indexer) }
}
