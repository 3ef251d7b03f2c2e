import Logging
import SkiffAPI
import SkiffRegistry
import SkiffStorage
import Testing

/// A registry with every built-in kind on a memory store, its caches running for the duration of
/// `body`, and the namespace `test` created.
func withRegistry(historyCapacity: Int = 10_000, storage: MemoryStorage = MemoryStorage(),
                  transformers: @escaping @Sendable (GroupResource) -> (any ValueTransformer)? = { _ in nil },
                  _ body: @Sendable (Registry) async throws -> Void) async throws {
    var cache = WatchCache.Configuration()
    cache.historyCapacity = historyCapacity
    // Upstream's 3 s wait for a consistent read's revision is for a server; a test process running
    // hundreds of suites in parallel on two cores can starve the cache's tasks for longer.
    cache.freshnessTimeout = .seconds(30)
    let registry = Registry(storage: storage, transformers: transformers, cacheConfiguration: cache, logger: Logger(label: "test"))
    registry.register(BuiltinResources.entries(storage: storage))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await registry.run() }
        try await registry.waitUntilReady()
        _ = try await registry.store(GroupResource(group: "", resource: "namespaces")).create(namespace: nil, object: ["metadata": ["name": "test"]])
        try await body(registry)
        group.cancelAll()
    }
}

extension Registry {
    func store(_ resource: GroupResource) throws -> ResourceStore {
        guard let store = store(for: resource) else { throw APIError.badRequest("no store for \(resource)") }
        return store
    }

    var configMaps: ResourceStore { get throws { try store(GroupResource(group: "", resource: "configmaps")) } }
}

func configMap(_ name: String, labels: [String: String] = [:], finalizers: [String] = []) -> JSONValue {
    var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["k": "v"]]
    object.labels = labels
    object.finalizers = finalizers
    return object
}

extension Registry {
    /// The store of a built-in resource, by group and plural (core when `group` is empty).
    func store(_ resource: String, group: String = "") throws -> ResourceStore {
        try store(GroupResource(group: group, resource: resource))
    }
}

/// The API error `body` throws, or nil (and a recorded issue) when it succeeds.
func apiError(_ body: () async throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) async -> APIError? {
    do {
        try await body()
        Issue.record("no error was thrown", sourceLocation: sourceLocation)
    } catch let error as APIError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// A timestamp `seconds` before now, as RFC 3339.
func ago(_ seconds: Int64) -> String {
    Timestamp.now().adding(seconds: -seconds).rfc3339
}
