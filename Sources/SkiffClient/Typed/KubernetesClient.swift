import Logging
import SkiffAPI

/// The entry point of the client toolkit (client-go's clientset): typed clients for any
/// `KubernetesObject`, the dynamic client and discovery, all over one `RESTClient`.
///
/// ```swift
/// let client = try KubernetesClient(configuration: .load())
/// let pods = try await client.resource(Pod.self, namespace: "default").list()
/// try await client.shutdown()
/// ```
///
/// Per-group accessors (`client.apps.v1.deployments("ns")`) are generated as extensions of this
/// type over `resource(_:namespace:)`.
public struct KubernetesClient: Sendable {
    public let rest: RESTClient

    /// A client with its own connections (shut it down when done).
    public init(
        configuration: ClientConfiguration, retryPolicy: RetryPolicy = RetryPolicy(),
        logger: Logger = Logger(label: "skiff.client", factory: { _ in SwiftLogNoOpLogHandler() })
    ) throws(ConfigurationError) {
        rest = try RESTClient(configuration: configuration, retryPolicy: retryPolicy, logger: logger)
    }

    /// A client over an existing `RESTClient`.
    public init(rest: RESTClient) {
        self.rest = rest
    }

    /// The namespace of the configuration's context.
    public var defaultNamespace: String { rest.configuration.namespace }

    /// The typed verbs of `type`'s resource; `namespace` is ignored for cluster-scoped kinds, and
    /// nil lists across all namespaces.
    public func resource<Object: KubernetesObject>(_ type: Object.Type, namespace: String? = nil) -> ResourceClient<Object> {
        ResourceClient(
            rest: rest, resource: Object.groupVersionResource, namespace: Object.isNamespaced ? namespace : nil, codec: .typed)
    }

    /// Unstructured access to any resource.
    public var dynamic: DynamicClient { DynamicClient(rest: rest) }

    /// The server's groups, versions and resources.
    public var discovery: DiscoveryClient { DiscoveryClient(rest: rest) }

    /// Closes the connections.
    public func shutdown() async throws {
        try await rest.shutdown()
    }
}
