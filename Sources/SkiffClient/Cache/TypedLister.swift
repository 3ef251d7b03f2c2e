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

    /// The objects of this namespace that the controller with `uid` controls (from the
    /// informer's controller index when it has one).
    public func controlled(by uid: String) -> [Object] {
        guard !uid.isEmpty else { return [] }
        guard indexer.hasIndex(Indexer<JSONValue>.controllerIndex) else {
            return list().filter { $0.metadata?.controllerReference?.uid == uid }
        }
        return indexer.byIndex(Indexer<JSONValue>.controllerIndex, value: uid).filter { $0.namespace == namespace }
    }

    /// What the controller with `uid` may claim (client-go's `ControllerRefManager` looks at no
    /// other object): the objects it controls and those no controller controls, without copying
    /// every object of the namespace. Needs the informer's controller index (the factory's
    /// typed informers have it); without it, every object of the namespace.
    public func claimable(by uid: String) -> [Object] {
        guard indexer.hasIndex(Indexer<JSONValue>.controllerIndex) else { return list() }
        return controlled(by: uid) + indexer.byIndex(Indexer<JSONValue>.controllerIndex, value: Indexer<JSONValue>.orphanValue(namespace: namespace))
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
