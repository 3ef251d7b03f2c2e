import SkiffAPI

/// What a reflector needs from the server (client-go's `cache.ListerWatcher`): a list and a
/// watch. `ResourceClient` is one; tests use a fake.
public protocol ListerWatcher<Object>: Sendable {
    associatedtype Object: Sendable
    /// One page of objects.
    func list(_ options: ListOptions) async throws -> ObjectList<Object>
    /// The events from `options.resourceVersion` on (a watch).
    func watchEvents(_ options: ListOptions) async throws -> any AsyncSequence<WatchEvent<Object>, any Error>
}

extension ResourceClient: ListerWatcher {
    public func watchEvents(_ options: ListOptions) async throws -> any AsyncSequence<WatchEvent<Object>, any Error> {
        try await watch(options)
    }
}

/// How caches identify objects and their versions.
public struct ObjectIdentity<Object: Sendable>: Sendable {
    /// The cache key (`namespace/name`).
    public let key: @Sendable (Object) -> String
    /// `metadata.resourceVersion`.
    public let resourceVersion: @Sendable (Object) -> String?

    public init(key: @escaping @Sendable (Object) -> String, resourceVersion: @escaping @Sendable (Object) -> String?) {
        self.key = key
        self.resourceVersion = resourceVersion
    }
}

extension ObjectIdentity where Object == JSONValue {
    /// Unstructured objects.
    public static var unstructured: ObjectIdentity<JSONValue> {
        ObjectIdentity(key: ObjectKey.of, resourceVersion: { $0.resourceVersion })
    }
}

extension ObjectIdentity where Object: KubernetesObject {
    /// Typed objects.
    public static var typed: ObjectIdentity<Object> {
        ObjectIdentity(key: { $0.cacheKey }, resourceVersion: { $0.metadata?.resourceVersion })
    }
}
