import Logging
import NIOHTTP1
import SkiffAPI
import SkiffRegistry

/// Upstream's APIService availability controller for APIServices served by an extension server
/// (those with a `service`): every `interval`, and at once when one's spec changes, each one's
/// service is resolved to an endpoint and the extension server's discovery (`GET /apis/<group>/<version>`) is asked, verified against
/// `caBundle` (or not, with `insecureSkipTLSVerify`). The `Available` condition says what was
/// found with upstream's reasons: `ServiceNotFound`, `ServicePortError`, `EndpointsNotFound`,
/// `MissingEndpoints`, `FailedDiscoveryCheck`, or `Passed`. The discovery document of a passed
/// check is kept in `discovery` (merged into the server's own), marked stale by a failed one;
/// that of an APIService gone, dropped.
struct APIServiceAvailability: Sendable {
    let registry: Registry
    let client: WebhookClient
    let discovery: ExtensionDiscovery
    /// The front-proxy client certificate the checks present, as the proxy does.
    let identity: ProxyClientIdentity?
    let clock: any TimestampClock
    let logger: Logger
    var interval: Duration = .seconds(5)

    /// The condition's status, reason and message.
    struct Finding: Sendable, Equatable {
        var available: Bool
        var reason: String
        var message: String
    }

    /// Checks every APIService with a service at start and every `interval`, and one whose spec
    /// changed (created, pointed at another service) at once, until cancelled.
    func run() async {
        guard let store = apiServices else { return }
        await CacheWatchLoop(registry: registry, store: store, clock: clock, interval: interval)
            .run(syncAll: { await checkAll() }, handle: { event in await checkChange(event, in: store) })
    }

    func checkAll() async {
        guard let store = apiServices else { return }
        var served: Set<String> = []
        for object in store.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded) {
            guard let service = object[path: "spec", "service"], service.objectValue != nil else { continue }
            served.insert(object.name ?? "")
            await checkAndRecord(object, service: service, in: store)
        }
        discovery.retain(apiServices: served)
    }

    /// Checks the APIService of `event` if its spec changed; forgets a deleted one's discovery.
    private func checkChange(_ event: WatchCacheEvent, in store: ResourceStore) async {
        guard let object = event.object?.decoded else { return }
        if event.kind == .deleted {
            discovery.forget(apiService: object.name ?? "")
            return
        }
        guard object["spec"] != event.previous?.decoded["spec"], let service = object[path: "spec", "service"], service.objectValue != nil
        else { return }
        await checkAndRecord(object, service: service, in: store)
    }

    private var apiServices: ResourceStore? {
        registry.store(for: GroupResource(group: "apiregistration.k8s.io", resource: "apiservices"))
    }

    private func checkAndRecord(_ object: JSONValue, service: JSONValue, in store: ResourceStore) async {
        let finding = await check(object, service: service)
        if !finding.available { discovery.markStale(apiService: object.name ?? "") }
        do {
            try await record(finding, name: object.name ?? "", in: store)
        } catch {
            logger.warning("recording APIService availability failed", metadata: ["apiservice": "\(object.name ?? "")", "error": "\(error)"])
        }
    }

    /// What the APIService's service and discovery say.
    func check(_ apiService: JSONValue, service: JSONValue) async -> Finding {
        let namespace = service["namespace"]?.stringValue ?? "", name = service["name"]?.stringValue ?? ""
        let port = service["port"]?.intValue ?? 443
        let group = apiService[path: "spec", "group"]?.stringValue ?? "", version = apiService[path: "spec", "version"]?.stringValue ?? ""
        let target: WebhookClient.Target
        do {
            target = try await client.target(ofService: service, path: "/apis/\(group)/\(version)")
        } catch {
            switch error {
            case .serviceNotFound:
                return Finding(available: false, reason: "ServiceNotFound", message: "service/\(name) in \"\(namespace)\" is not present")
            case .portNotFound:
                return Finding(available: false, reason: "ServicePortError",
                               message: "service/\(name) in \"\(namespace)\" is not listening on port \(port)")
            case .endpointsNotFound:
                return Finding(available: false, reason: "EndpointsNotFound", message: "cannot find endpoints for service/\(name) in \"\(namespace)\"")
            case .noAddresses(let portName):
                return Finding(available: false, reason: "MissingEndpoints",
                               message: "endpoints for service/\(name) in \"\(namespace)\" have no addresses with port name \"\(portName)\"")
            }
        }
        do {
            let resourceList = try await client.get(target, ofAPIService: apiService, identity: identity, timeout: .seconds(5))
            discovery.record(apiService: apiService.name ?? "", group: group, version: version, resourceList: resourceList)
        } catch {
            return Finding(available: false, reason: "FailedDiscoveryCheck", message: "failing or missing response from \(target.url): \(error)")
        }
        return Finding(available: true, reason: "Passed", message: "all checks passed")
    }

    /// Writes the `Available` condition when it changed (its transition time when the status did).
    private func record(_ finding: Finding, name: String, in store: ResourceStore) async throws {
        _ = try await store.guaranteedUpdate(namespace: nil, name: name, precondition: nil, options: WriteOptions(), subresource: "status") { current in
            let conditions = current[path: "status", "conditions"]?.arrayValue ?? []
            let old = conditions.first { $0["type"]?.stringValue == "Available" }
            let status = finding.available ? "True" : "False"
            if old?["status"]?.stringValue == status, old?["reason"]?.stringValue == finding.reason,
               old?["message"]?.stringValue == finding.message { return current }
            let changed = old?["status"]?.stringValue != status
            let condition: JSONValue = [
                "type": "Available", "status": .string(status), "reason": .string(finding.reason), "message": .string(finding.message),
                "lastTransitionTime": changed ? .string(Timestamp.now().rfc3339) : (old?["lastTransitionTime"] ?? .null),
            ]
            var updated = current
            updated[path: "status", "conditions"] = .array(conditions.filter { $0["type"]?.stringValue != "Available" } + [condition])
            return updated
        }
    }
}
