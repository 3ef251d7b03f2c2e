import Logging
import SkiffAPI
import SkiffRegistry
import SkiffSchemas

/// Upstream's OpenAPI aggregation controllers (v2 and v3) for APIServices served by an extension
/// server: once one is `Available`, its server's `/openapi/v2` is fetched and cut down to the
/// paths under `/apis/<group>/<version>/`, and its `/openapi/v3` index is read for
/// `apis/<group>/<version>`, whose document is fetched too; both go to `documents`. They are
/// fetched again when the APIService's spec changes or it becomes available again, and every
/// `interval` (upstream refreshes every minute). A failed fetch keeps the last documents, as
/// upstream; those of an APIService deleted or no longer served by a service are dropped.
struct ExtensionOpenAPIController: Sendable {
    let registry: Registry
    let client: WebhookClient
    let documents: ExtensionOpenAPI
    /// The front-proxy client certificate the requests present, as the proxy does.
    let identity: ProxyClientIdentity?
    let clock: any TimestampClock
    let logger: Logger
    var interval: Duration = .seconds(60)

    /// Fetches at start, every `interval`, and when an APIService changes, until cancelled.
    func run() async {
        guard let store = apiServices else { return }
        await CacheWatchLoop(registry: registry, store: store, clock: clock, interval: interval)
            .run(syncAll: { await fetchAll() }, handle: { event in await fetchChange(event) })
    }

    /// Fetches the documents of every available APIService with a service; drops the others'.
    func fetchAll() async {
        guard let store = apiServices else { return }
        var withService: Set<String> = []
        for object in store.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded) where Self.service(of: object) != nil {
            withService.insert(object.name ?? "")
            if Self.isAvailable(object) { await fetch(object) }
        }
        documents.retain(apiServices: withService)
    }

    /// Fetches for the APIService of `event` if its spec changed or it became available; forgets
    /// the documents of one deleted or without a service.
    private func fetchChange(_ event: WatchCacheEvent) async {
        guard let object = event.object?.decoded else { return }
        guard event.kind != .deleted, Self.service(of: object) != nil else {
            documents.forget(apiService: object.name ?? "")
            return
        }
        let previous = event.previous?.decoded
        let changed = object["spec"] != previous?["spec"] || !(previous.map(Self.isAvailable) ?? false)
        if changed, Self.isAvailable(object) { await fetch(object) }
    }

    private var apiServices: ResourceStore? {
        registry.store(for: GroupResource(group: "apiregistration.k8s.io", resource: "apiservices"))
    }

    static func service(of apiService: JSONValue) -> JSONValue? {
        guard let service = apiService[path: "spec", "service"], service.objectValue != nil else { return nil }
        return service
    }

    static func isAvailable(_ apiService: JSONValue) -> Bool {
        (apiService[path: "status", "conditions"]?.arrayValue ?? [])
            .contains { $0["type"]?.stringValue == "Available" && $0["status"]?.stringValue == "True" }
    }

    /// Fetches the two documents of `apiService` and records them; one that cannot be fetched
    /// stays as last fetched.
    func fetch(_ apiService: JSONValue) async {
        guard let name = apiService.name, let service = Self.service(of: apiService) else { return }
        let spec = apiService["spec"] ?? .emptyObject
        let group = spec["group"]?.stringValue ?? "", version = spec["version"]?.stringValue ?? ""
        let last = documents.published(apiService: name)
        var published = ExtensionOpenAPI.Published(
            group: group, version: version, groupPriorityMinimum: spec["groupPriorityMinimum"]?.intValue ?? 0,
            versionPriority: spec["versionPriority"]?.intValue ?? 0, swagger: last?.swagger, v3: last?.v3)
        do {
            let swagger = try await get("/openapi/v2", from: apiService, service: service)
            published.swagger = SwaggerMerge.filter(swagger, pathPrefix: "/apis/\(group)/\(version)/")
        } catch {
            logger.warning("fetching an extension server's OpenAPI v2 document failed", metadata: ["apiservice": "\(name)", "error": "\(error)"])
        }
        do {
            let index = try await get("/openapi/v3", from: apiService, service: service)
            if let url = index[path: "paths", "apis/\(group)/\(version)", "serverRelativeURL"]?.stringValue {
                let document = try await get(url, from: apiService, service: service)
                published.v3 = OpenAPIDocumentBuilder.Document(bytes: document.serialized())
            } else {
                published.v3 = nil
            }
        } catch {
            logger.warning("fetching an extension server's OpenAPI v3 document failed", metadata: ["apiservice": "\(name)", "error": "\(error)"])
        }
        documents.record(apiService: name, published)
    }

    private func get(_ path: String, from apiService: JSONValue, service: JSONValue) async throws -> JSONValue {
        let target = try await client.target(ofService: service, path: path)
        return try await client.get(target, ofAPIService: apiService, identity: identity, timeout: .seconds(60))
    }
}
