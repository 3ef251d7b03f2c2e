import SkiffAPI

/// Reads API objects from an informer's store, never from the server (client-go's listers):
/// `lister.list(selector)`, `lister.namespace("ns").get("name")`.
public struct Lister: Sendable {
    let indexer: Indexer<JSONValue>

    public init(indexer: Indexer<JSONValue>) {
        self.indexer = indexer
    }

    /// Every object the selector selects.
    public func list(_ selector: LabelSelector = LabelSelector()) -> [JSONValue] {
        indexer.list().filter { selector.matches($0.labels) }
    }

    /// A view of one namespace.
    public func namespace(_ namespace: String) -> NamespaceLister {
        NamespaceLister(indexer: indexer, namespace: namespace)
    }

    /// A cluster-scoped object by name.
    public func get(_ name: String) -> JSONValue? {
        indexer.get(key: name)
    }
}

/// The objects of one namespace in an informer's store.
public struct NamespaceLister: Sendable {
    let indexer: Indexer<JSONValue>
    let namespace: String

    public func list(_ selector: LabelSelector = LabelSelector()) -> [JSONValue] {
        indexer.byIndex(Indexer<JSONValue>.namespaceIndex, value: namespace).filter { selector.matches($0.labels) }
    }

    public func get(_ name: String) -> JSONValue? {
        indexer.get(key: ObjectKey.make(namespace: namespace, name: name))
    }
}
