import Logging
import SkiffAPI
import SkiffStorage

/// The one store every resource is served by: REST semantics (optimistic concurrency, finalizers,
/// graceful deletion, generation, subresources) on top of `Storage`, parameterised by a
/// `ResourceInfo` and a `ResourceStrategy`.
public final class ResourceStore: Sendable {
    public let info: ResourceInfo
    public let strategy: any ResourceStrategy
    public let cache: WatchCache
    let storage: any Storage
    let logger: Logger
    let codec: StorageCodec

    init(info: ResourceInfo, strategy: any ResourceStrategy, storage: any Storage, mediaType: StorageMediaType,
         transformer: (any ValueTransformer)?, cacheConfiguration: WatchCache.Configuration, logger: Logger) {
        self.info = info
        self.strategy = strategy
        self.storage = storage
        self.logger = logger
        self.codec = StorageCodec(strategy: strategy, mediaType: mediaType, transformer: transformer)
        self.cache = WatchCache(info: info, strategy: strategy, storage: storage, transformer: transformer,
                                configuration: cacheConfiguration, logger: logger)
    }

    /// Reads one object. `resourceVersion` unset: the latest (consistent); `0`: any, from the
    /// cache; a revision: not older than it, from the cache.
    public func get(namespace: String?, name: String, resourceVersion: String? = nil) async throws -> JSONValue {
        let key = info.key(namespace: namespace, name: name)
        let parameter = try ResourceVersionParameter(resourceVersion)
        if case .unset = parameter {
            guard let kv = try await mapStorageErrors(name: name, { try await storage.get(key, revision: 0) }) else {
                throw APIError.notFound(info.groupResource, name: name)
            }
            return try await codec.decode(kv)
        }
        switch parameter {
        case .notOlderThan(let revision): try await cache.waitUntilFresh(revision)
        default: try await cache.waitUntilFresh(0)
        }
        guard let cached = cache.object(forKey: key) else { throw APIError.notFound(info.groupResource, name: name) }
        return cached.decoded
    }

    /// How many objects of the resource storage holds (upstream's `apiserver_storage_objects`).
    public func storedObjectCount() async throws -> Int {
        try await storage.range(RangeRequest(prefix: info.keyPrefix, limit: 1)).count
    }

    /// Runs a storage call, turning storage errors into API errors.
    func mapStorageErrors<T>(name: String = "", _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as StorageError {
            throw apiError(for: error, name: name)
        }
    }

    func apiError(for error: StorageError, name: String) -> APIError {
        switch error.code {
        case .keyExists: return .alreadyExists(info.groupResource, name: name)
        case .keyNotFound: return .notFound(info.groupResource, name: name)
        case .conflict: return .conflict(info.groupResource, name: name, message: APIError.staleObjectMessage)
        case .compacted: return .expired("The resourceVersion for the provided list is too old.")
        case .futureRevision: return .timeout("Too large resource version", retryAfterSeconds: 1)
        case .watchOverflow, .unavailable: return .serviceUnavailable("storage is unavailable: \(error.message)")
        }
    }
}
