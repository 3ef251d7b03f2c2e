import Logging
import SkiffAPI
import SkiffClient

/// The node lifecycle controller's monitor loop: when each node was last heard from (its
/// Lease renewed or its `Ready` heartbeat moved, judged on the local clock as upstream does),
/// conditions set to `Unknown` after the grace period, pods marked not ready while their node
/// is not ready, and the node events upstream records.
struct NodeHealthMonitor: Sendable {
    static let leaseNamespace = "kube-node-lease"
    /// The conditions that become `Unknown` (NetworkUnavailable is not the kubelet's).
    static let kubeletConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]

    /// What the monitor remembers of a node between passes.
    struct Health {
        var uid: String
        var probedAt: Timestamp
        var heartbeat: String?
        var leaseRenewal: String?
        var ready: String?
    }

    let configuration: NodeLifecycleController.Configuration
    let nodes: SharedInformer<JSONValue>
    let leases: SharedInformer<JSONValue>
    let pods: SharedInformer<JSONValue>
    let client: KubernetesClient
    let recorder: EventRecorder
    let clock: any TimestampClock
    let logger: Logger

    func run() async {
        for informer in [nodes, leases, pods] {
            guard await informer.waitForCacheSync() else { return }
        }
        var health: [String: Health] = [:]
        while !Task.isCancelled {
            await monitor(&health)
            do {
                try await clock.sleep(for: configuration.monitorPeriod)
            } catch {
                return
            }
        }
    }

    /// One pass over every node.
    func monitor(_ health: inout [String: Health]) async {
        var seen = Set<String>()
        for node in nodes.lister.list() {
            guard let name = node.name else { continue }
            seen.insert(name)
            let ready = Self.condition("Ready", of: node)
            let heartbeat = ready?["lastHeartbeatTime"]?.stringValue
            let renewal = leases.lister.get("\(Self.leaseNamespace)/\(name)")?[path: "spec", "renewTime"]?.stringValue
            var record: Health
            if let known = health[name], known.uid == node.uid {
                record = known
                if known.heartbeat != heartbeat || known.leaseRenewal != renewal {
                    record.probedAt = clock.now
                    record.heartbeat = heartbeat
                    record.leaseRenewal = renewal
                }
            } else {
                record = Health(
                    uid: node.uid ?? "", probedAt: clock.now, heartbeat: heartbeat, leaseRenewal: renewal, ready: ready?["status"]?.stringValue)
                await recorder.record(
                    Self.reference(to: node), reason: "RegisteredNode", message: "Node \(name) event: Registered Node \(name) in Controller")
            }
            var current = node
            let grace = ready == nil ? configuration.startupGracePeriod : configuration.gracePeriod
            if record.probedAt.advanced(by: grace) < clock.now, let unknown = Self.markedUnknown(node, now: clock.now) {
                do {
                    current = try await client.dynamic.resource(.nodes).updateStatus(unknown)
                    logger.info("node stopped posting status", metadata: ["node": "\(name)"])
                } catch {
                    logger.warning("could not mark node status unknown", metadata: ["node": "\(name)", "error": "\(error)"])
                }
            }
            let readyNow = Self.condition("Ready", of: current)?["status"]?.stringValue
            if record.ready == "True" && readyNow != "True" {
                await recorder.record(Self.reference(to: current), reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
            }
            // Every pass, as upstream does on pod updates: pods that arrive on a node that is not
            // ready, or whose update failed, are marked too.
            if let readyNow, readyNow != "True" { await markPodsNotReady(on: name) }
            record.ready = readyNow
            health[name] = record
        }
        for (name, record) in health where !seen.contains(name) {
            health[name] = nil
            let reference = ObjectReference(apiVersion: "v1", kind: "Node", name: name, uid: record.uid)
            await recorder.record(reference, reason: "RemovingNode", message: "Node \(name) event: Removing Node \(name) from Controller")
        }
    }

    /// Node events name the node by name and UID, as upstream's.
    private static func reference(to node: JSONValue) -> ObjectReference {
        ObjectReference(apiVersion: "v1", kind: "Node", name: node.name ?? "", uid: node.uid ?? "")
    }

    /// Sets the `Ready` condition of the node's pods to `False` where it is not already
    /// (upstream's `MarkPodsNotReady`).
    private func markPodsNotReady(on node: String) async {
        let podClient = client.dynamic.resource(.pods)
        for pod in pods.lister.list() where pod[path: "spec", "nodeName"]?.stringValue == node {
            guard var conditions = pod[path: "status", "conditions"]?.arrayValue,
                let index = conditions.firstIndex(where: { $0["type"]?.stringValue == "Ready" }),
                conditions[index]["status"]?.stringValue != "False"
            else { continue }
            conditions[index]["status"] = "False"
            conditions[index]["lastTransitionTime"] = .string(clock.now.rfc3339)
            var updated = pod
            updated[path: "status", "conditions"] = .array(conditions)
            do {
                _ = try await podClient.namespace(pod.namespace ?? "").updateStatus(updated)
                await recorder.record(ObjectReference(pod), type: .warning, reason: "NodeNotReady", message: "Node is not ready")
            } catch {
                logger.warning("could not mark pod not ready", metadata: ["pod": "\(ObjectKey.of(pod))", "error": "\(error)"])
            }
        }
    }

    static func condition(_ type: String, of node: JSONValue) -> JSONValue? {
        node[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    /// The node with its kubelet conditions `Unknown` (added as never updated when missing);
    /// nil when they already are.
    static func markedUnknown(_ node: JSONValue, now: Timestamp) -> JSONValue? {
        var conditions = node[path: "status", "conditions"]?.arrayValue ?? []
        var changed = false
        for type in kubeletConditions {
            if let index = conditions.firstIndex(where: { $0["type"]?.stringValue == type }) {
                guard conditions[index]["status"]?.stringValue != "Unknown" else { continue }
                conditions[index]["status"] = "Unknown"
                conditions[index]["reason"] = "NodeStatusUnknown"
                conditions[index]["message"] = "Kubelet stopped posting node status."
                conditions[index]["lastTransitionTime"] = .string(now.rfc3339)
            } else {
                conditions.append([
                    "type": .string(type), "status": "Unknown", "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status.",
                    "lastHeartbeatTime": node[path: "metadata", "creationTimestamp"] ?? .null, "lastTransitionTime": .string(now.rfc3339),
                ])
            }
            changed = true
        }
        guard changed else { return nil }
        var updated = node
        updated[path: "status", "conditions"] = .array(conditions)
        return updated
    }
}
