import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

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
        var heartbeat: Timestamp?
        var leaseRenewal: MicroTime?
        var ready: String?
    }

    let configuration: NodeLifecycleController.Configuration
    let nodes: SharedInformer<CoreV1.Node>
    let leases: SharedInformer<CoordinationV1.Lease>
    let pods: SharedInformer<CoreV1.Pod>
    let client: KubernetesClient
    let recorder: EventRecorder
    let clock: any TimestampClock
    let logger: Logger

    func run() async {
        guard await nodes.waitForCacheSync(), await leases.waitForCacheSync(), await pods.waitForCacheSync() else { return }
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
            let name = node.name
            guard !name.isEmpty else { continue }
            seen.insert(name)
            let ready = Self.condition("Ready", of: node)
            let heartbeat = ready?.lastHeartbeatTime
            let renewal = leases.lister.namespace(Self.leaseNamespace).get(name)?.spec?.renewTime
            var record: Health
            if let known = health[name], known.uid == node.metadata?.uid {
                record = known
                if known.heartbeat != heartbeat || known.leaseRenewal != renewal {
                    record.probedAt = clock.now
                    record.heartbeat = heartbeat
                    record.leaseRenewal = renewal
                }
            } else {
                record = Health(
                    uid: node.metadata?.uid ?? "", probedAt: clock.now, heartbeat: heartbeat, leaseRenewal: renewal, ready: ready?.status)
                await recorder.record(
                    Self.reference(to: node), reason: "RegisteredNode", message: "Node \(name) event: Registered Node \(name) in Controller")
            }
            var current = node
            let grace = ready == nil ? configuration.startupGracePeriod : configuration.gracePeriod
            if record.probedAt.advanced(by: grace) < clock.now, let unknown = Self.markedUnknown(node, now: clock.now) {
                do {
                    current = try await client.core.v1.nodes().updateStatus(unknown)
                    logger.info("node stopped posting status", metadata: ["node": "\(name)"])
                } catch {
                    logger.warning("could not mark node status unknown", metadata: ["node": "\(name)", "error": "\(error)"])
                }
            }
            let readyNow = Self.condition("Ready", of: current)?.status
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
    private static func reference(to node: CoreV1.Node) -> ObjectReference {
        ObjectReference(apiVersion: "v1", kind: "Node", name: node.name, uid: node.metadata?.uid ?? "")
    }

    /// Sets the `Ready` condition of the node's pods to `False` where it is not already
    /// (upstream's `MarkPodsNotReady`).
    private func markPodsNotReady(on node: String) async {
        for pod in pods.lister.list() where pod.spec?.nodeName == node {
            guard var conditions = pod.status?.conditions, let index = conditions.firstIndex(where: { $0.type == "Ready" }),
                conditions[index].status != "False"
            else { continue }
            conditions[index].status = "False"
            conditions[index].lastTransitionTime = clock.now
            var updated = pod
            updated.status?.conditions = conditions
            do {
                _ = try await client.core.v1.pods(pod.namespace).updateStatus(updated)
                await recorder.record(ObjectReference(pod), type: .warning, reason: "NodeNotReady", message: "Node is not ready")
            } catch {
                logger.warning("could not mark pod not ready", metadata: ["pod": "\(pod.cacheKey)", "error": "\(error)"])
            }
        }
    }

    static func condition(_ type: String, of node: CoreV1.Node) -> CoreV1.NodeCondition? {
        node.status?.conditions?.first { $0.type == type }
    }

    /// The node with its kubelet conditions `Unknown` (added as never updated when missing);
    /// nil when they already are.
    static func markedUnknown(_ node: CoreV1.Node, now: Timestamp) -> CoreV1.Node? {
        var conditions = node.status?.conditions ?? []
        var changed = false
        for type in kubeletConditions {
            if let index = conditions.firstIndex(where: { $0.type == type }) {
                guard conditions[index].status != "Unknown" else { continue }
                conditions[index].status = "Unknown"
                conditions[index].reason = "NodeStatusUnknown"
                conditions[index].message = "Kubelet stopped posting node status."
                conditions[index].lastTransitionTime = now
            } else {
                conditions.append(
                    CoreV1.NodeCondition(
                        lastHeartbeatTime: node.metadata?.creationTimestamp, lastTransitionTime: now,
                        message: "Kubelet never posted node status.", reason: "NodeStatusNeverUpdated", status: "Unknown", type: type))
            }
            changed = true
        }
        guard changed else { return nil }
        var updated = node
        updated.status = updated.status ?? CoreV1.NodeStatus()
        updated.status?.conditions = conditions
        return updated
    }
}
