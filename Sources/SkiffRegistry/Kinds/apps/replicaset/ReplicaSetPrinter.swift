import SkiffAPI

extension ReplicaSetStrategy {
    /// SELECTOR is the label selector as upstream formats it.
    func selectorCell(_ object: JSONValue) -> String { TableFormat.labelSelector(object[path: "spec", "selector"]) }
}
