import SkiffAPI

extension ReplicationControllerStrategy {
    /// SELECTOR is the selector map as `key=value` pairs.
    func selectorCell(_ object: JSONValue) -> String { TableFormat.labels(object.stringMap(at: "spec", "selector")) }
}
