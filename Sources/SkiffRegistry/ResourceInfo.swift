import SkiffAPI

/// Everything the API server needs to know to serve one resource: its names, scope and
/// subresources. Built-in kinds are described in `Kinds/`; custom resources get one at run time.
public struct ResourceInfo: Sendable, Hashable {
    public var group: String
    public var version: String
    public var kind: String
    /// The plural resource name used in paths, e.g. `configmaps`.
    public var plural: String
    public var singular: String
    public var shortNames: [String]
    public var categories: [String]
    public var namespaced: Bool
    public var subresources: Set<Subresource>
    /// The verbs served on the collection and items (discovery lists these).
    public var verbs: [String]
    /// The OpenAPI definition name of the kind's schema (e.g. `io.k8s.api.core.v1.ConfigMap`).
    public var definitionName: String
    /// Where objects are stored when another resource owns the storage (events.k8s.io/v1 events
    /// live with core/v1 events); nil for the resource's own.
    public var storageResource: GroupResource?

    /// The subresources the generic store knows how to serve.
    public enum Subresource: String, Sendable, Hashable, CaseIterable {
        case status
        case scale
        case binding
        case finalize
        /// A certificate signing request's approval conditions.
        case approval
        /// A pod's eviction (a policy/v1 `Eviction` POSTed for it).
        case eviction
    }

    /// The verbs of a resource that supports everything.
    public static let allVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]

    /// Whether the resource is read back (`get`, `list` or `watch`, which a watch cache serves).
    /// Create-only resources (the reviews, `bindings`) store nothing of their own: they get no
    /// watch cache and so no storage watch.
    public var isCached: Bool { verbs.contains { ["get", "list", "watch"].contains($0) } }

    public init(
        group: String, version: String, kind: String, plural: String, singular: String? = nil,
        shortNames: [String] = [], categories: [String] = [], namespaced: Bool,
        subresources: Set<Subresource> = [], verbs: [String] = ResourceInfo.allVerbs, definitionName: String,
        storageResource: GroupResource? = nil
    ) {
        self.group = group
        self.version = version
        self.kind = kind
        self.plural = plural
        self.singular = singular ?? kind.lowercased()
        self.shortNames = shortNames
        self.categories = categories
        self.namespaced = namespaced
        self.subresources = subresources
        self.verbs = verbs
        self.definitionName = definitionName
        self.storageResource = storageResource
    }

    public var groupVersion: GroupVersion { GroupVersion(group: group, version: version) }
    public var groupResource: GroupResource { GroupResource(group: group, resource: plural) }
    public var groupKind: GroupKind { GroupKind(group: group, kind: kind) }
    public var groupVersionResource: GroupVersionResource {
        GroupVersionResource(group: group, version: version, resource: plural)
    }
    public var apiVersion: String { groupVersion.apiVersion }
    public var listKind: String { kind + "List" }

    /// The storage key prefix of every object of this resource, as upstream's (see docs/storage.md).
    public var keyPrefix: String { StorageKeyPath.prefix(of: storageResource ?? groupResource) }

    /// The storage key prefix of a namespace's objects (or of all objects when `namespace` is nil).
    public func keyPrefix(namespace: String?) -> String {
        guard namespaced, let namespace else { return keyPrefix }
        return keyPrefix + namespace + "/"
    }

    /// The storage key of one object.
    public func key(namespace: String?, name: String) -> String {
        namespaced ? keyPrefix + (namespace ?? "") + "/" + name : keyPrefix + name
    }
}
