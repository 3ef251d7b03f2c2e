import SkiffAPI

/// Unstructured access to any resource, built-in or custom (client-go's `dynamic.Interface`):
/// `dynamic.resource(gvr).namespace("ns").get("name")` returns the object as a `JSONValue`.
public struct DynamicClient: Sendable {
    public let rest: RESTClient

    public init(rest: RESTClient) {
        self.rest = rest
    }

    /// The verbs of `resource`, across namespaces (narrow with `.namespace(_:)`).
    public func resource(_ resource: GroupVersionResource) -> ResourceClient<JSONValue> {
        ResourceClient(rest: rest, resource: resource, codec: .unstructured)
    }
}
