/// A typed API object of a known kind: what typed clients, informers and listers work with.
///
/// The generated models of the built-in kinds conform; so can hand-written custom resources.
public protocol KubernetesObject: Codable, Sendable, Equatable {
    /// The group, version and kind this type is served as (`apps/v1`, `Deployment`).
    static var groupVersionKind: GroupVersionKind { get }
    /// The resource (plural) it is served under (`deployments`).
    static var resource: String { get }
    /// Whether objects of this kind live in a namespace.
    static var isNamespaced: Bool { get }
    /// The object's metadata.
    var metadata: ObjectMeta? { get set }
}

extension KubernetesObject {
    /// The resource this type is served under.
    public static var groupVersionResource: GroupVersionResource {
        GroupVersionResource(group: groupVersionKind.group, version: groupVersionKind.version, resource: resource)
    }

    /// `metadata.name`, or the empty string.
    public var name: String { metadata?.name ?? "" }
    /// `metadata.namespace`, or the empty string for cluster-scoped objects.
    public var namespace: String { metadata?.namespace ?? "" }
    /// The cache key client-go uses: `namespace/name`, or `name` for cluster-scoped objects.
    public var cacheKey: String { namespace.isEmpty ? name : "\(namespace)/\(name)" }
}

/// A typed list of a known kind (`PodList`): what a typed client's `list` returns.
public protocol KubernetesObjectList: Codable, Sendable, Equatable {
    /// The kind of the items.
    associatedtype Item: KubernetesObject
    /// The list's metadata: its resourceVersion and continue token.
    var metadata: ListMeta? { get set }
    /// The objects.
    var items: [Item] { get set }
}
