import SkiffAPI
import SkiffClient
import Synchronization

/// Watches a namespace's pods and records, per pod, when the watch first saw it, saw it bound
/// (`spec.nodeName`) and saw it running (phase `Running`, every container started): upstream's
/// pod startup SLI, creation to running observed through a watch.
final class PodStartupWatch: Sendable {
    struct Times: Sendable {
        var firstSeen: [String: ContinuousClock.Instant] = [:]
        var bound: [String: ContinuousClock.Instant] = [:]
        var running: [String: ContinuousClock.Instant] = [:]
    }

    private let times = Mutex(Times())

    /// Reads `pods`' watch from `resourceVersion` until cancelled or the watch ends.
    func run(_ pods: ResourceClient<JSONValue>, from resourceVersion: String?) async throws {
        let stream = try await pods.watch(ListOptions(resourceVersion: resourceVersion, timeoutSeconds: 3600))
        for try await event in stream {
            let pod: JSONValue
            switch event {
            case .added(let object), .modified(let object): pod = object
            default: continue
            }
            guard let uid = pod.uid else { continue }
            let now = ContinuousClock.now
            let statuses = pod[path: "status", "containerStatuses"]?.arrayValue ?? []
            let running = pod[path: "status", "phase"] == "Running" && !statuses.isEmpty && statuses.allSatisfy { $0["started"] == true }
            let bound = !(pod[path: "spec", "nodeName"]?.stringValue ?? "").isEmpty
            times.withLock { times in
                if times.firstSeen[uid] == nil { times.firstSeen[uid] = now }
                if bound, times.bound[uid] == nil { times.bound[uid] = now }
                if running, times.running[uid] == nil { times.running[uid] = now }
            }
        }
    }

    /// How many pods were seen, bound and running so far.
    var counts: (seen: Int, bound: Int, running: Int) {
        times.withLock { ($0.firstSeen.count, $0.bound.count, $0.running.count) }
    }

    /// Everything recorded so far.
    var snapshot: Times { times.withLock { $0 } }
}
