import SkiffAPI

/// Kinds with a `status` subresource and nothing special about it: a new object starts with
/// `initialStatus` (Go's zero status as upstream serializes it; nil for none), and writes to the
/// main resource keep the stored status.
protocol StatusKeepingStrategy: ResourceStrategy {
    var initialStatus: JSONValue? { get }
}

extension StatusKeepingStrategy {
    var initialStatus: JSONValue? { .emptyObject }
    func prepareForCreate(_ object: inout JSONValue) { object["status"] = initialStatus }
    func prepareForUpdate(_ object: inout JSONValue, old: JSONValue) { object["status"] = old["status"] }
}
