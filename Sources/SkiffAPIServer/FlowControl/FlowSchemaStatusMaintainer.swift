import Logging
import SkiffAPI
import SkiffRegistry

/// Keeps each FlowSchema's `Dangling` condition up to date, as upstream's flow control config
/// controller: `False` (reason `Found`) while the priority level it names exists, `True` (reason
/// `NotFound`) otherwise, written through the `status` subresource whenever a flow schema or a
/// priority level changes (from the registry's watch caches).
struct FlowSchemaStatusMaintainer: Sendable {
    let registry: Registry
    let clock: any TimestampClock
    let logger: Logger

    /// Maintains until cancelled.
    func run() async {
        guard (try? await registry.waitUntilReady()) != nil, let schemas = store("flowschemas"), let levels = store("prioritylevelconfigurations")
        else { return }
        await withDiscardingTaskGroup { group in
            for watched in [schemas, levels] {
                group.addTask {
                    while !Task.isCancelled {
                        guard let subscription = try? await watched.cache.watch(filter: WatchFilter(), fromRevision: nil, bookmarks: false)
                        else { return }
                        await maintain()
                        // A stream that ends (a slow watcher, a cache reset) is opened again.
                        for await _ in subscription.events { await maintain() }
                    }
                }
            }
        }
    }

    /// One pass over every flow schema.
    func maintain() async {
        guard let schemas = store("flowschemas"), let levels = store("prioritylevelconfigurations") else { return }
        let levelNames = Set(levels.cache.snapshot(filter: WatchFilter()).objects.map(\.name))
        for schema in schemas.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded) {
            let level = schema[path: "spec", "priorityLevelConfiguration", "name"]?.stringValue ?? ""
            let wanted = Self.danglingCondition(level: level, exists: levelNames.contains(level))
            let current = schema[path: "status", "conditions"]?.arrayValue?.first { $0["type"] == "Dangling" }
            if ["status", "reason", "message"].allSatisfy({ current?[$0] == wanted[$0] }) { continue }
            var stamped = wanted
            stamped["lastTransitionTime"] = .string(clock.now.rfc3339)
            let condition = stamped
            let name = schema.name ?? ""
            do {
                _ = try await schemas.guaranteedUpdate(namespace: nil, name: name, precondition: schema.resourceVersion, options: WriteOptions(),
                                                       subresource: "status") { current in
                    var updated = current
                    var conditions = current[path: "status", "conditions"]?.arrayValue ?? []
                    conditions.removeAll { $0["type"] == "Dangling" }
                    updated[path: "status", "conditions"] = .array(conditions + [condition])
                    return updated
                }
            } catch {
                // A conflict or a deletion arrives as an event of its own; anything else is logged.
                let reason = (error as? APIError)?.reason
                if reason != .conflict && reason != .notFound {
                    logger.warning("cannot update a flow schema's status", metadata: ["name": "\(name)", "error": "\(error)"])
                }
            }
        }
    }

    /// Upstream's condition, without its transition time.
    static func danglingCondition(level: String, exists: Bool) -> JSONValue {
        let message = exists
            ? "This FlowSchema references the PriorityLevelConfiguration object named \"\(level)\" and it exists"
            : "This FlowSchema references the PriorityLevelConfiguration object named \"\(level)\" but there is no such object"
        return ["type": "Dangling", "status": exists ? "False" : "True", "reason": exists ? "Found" : "NotFound", "message": .string(message)]
    }

    private func store(_ resource: String) -> ResourceStore? {
        registry.store(for: GroupResource(group: FlowControlBootstrap.group, resource: resource))
    }
}
