import Foundation
import SkiffAPI
import SkiffClient
import SkiffModels

extension KubeletHost {
    /// Renews the node's lease and reports its status every `heartbeatInterval` until cancelled,
    /// skipping rounds while its heartbeats are off or its Node is gone. The first round comes
    /// after a random part of the interval (registration renewed the lease already), so that
    /// nodes registered together do not all beat at the same moment.
    func heartbeat(_ node: SimulatedNode) async {
        let interval = configuration.heartbeatInterval
        // A Node registered by an earlier run may name that run's kubelet port: correct it now,
        // not a heartbeat later (the API server sends logs and exec there).
        await reportStatus(node, changedOnly: true)
        try? await clock.sleep(for: interval * jitter())
        while !Task.isCancelled {
            if node.heartbeatsEnabled {
                await renewLease(node)
                await reportStatus(node)
            }
            try? await clock.sleep(for: interval)
        }
    }

    /// Updates the lease (guarded by the resourceVersion last seen); creates it when missing;
    /// after a conflict reads it again and retries once.
    func renewLease(_ node: SimulatedNode) async {
        let leases = client.coordination.v1.leases(NodeLease.namespace)
        let uid = node.registration?.uid
        for attempt in 0..<2 {
            do {
                if let known = node.lease {
                    node.lease = try await leases.update(NodeLease.renewed(known, nodeName: node.name, nodeUID: uid, now: clock.now))
                } else {
                    do {
                        let existing = try await leases.get(node.name)
                        node.lease = try await leases.update(NodeLease.renewed(existing, nodeName: node.name, nodeUID: uid, now: clock.now))
                    } catch let error as APIError where error.isNotFound {
                        node.lease = try await leases.create(NodeLease.lease(nodeName: node.name, nodeUID: uid, now: clock.now))
                    }
                }
                return
            } catch {
                node.lease = nil
                if attempt == 1 {
                    logger.warning("failed to renew the node lease", metadata: ["node": "\(node.name)", "error": "\(error)"])
                }
            }
        }
    }

    /// Recomputes the status and writes it (a merge patch of `nodes/status`) when it differs
    /// from the Node's, or (unless `changedOnly`) when the report is due or heartbeats have just resumed.
    func reportStatus(_ node: SimulatedNode, changedOnly: Bool = false) async {
        guard let registration = node.registration else { return }
        let (lastReported, lastReportAt, force) = node.reportState()
        let current = nodeInformer.indexer.get(key: node.name) ?? lastReported
        let status = registration.builder.status(previous: current?.status, now: clock.now, pressure: node.eviction?.conditions ?? [])
        let due = lastReportAt.map { clock.now.duration(since: $0) >= configuration.statusReportFrequency } ?? true
        guard (!changedOnly && (force || due)) || NodeStatusBuilder.needsUpdate(current: current?.status, computed: status) else { return }
        do {
            let patch: JSONValue = ["status": try JSONValue(parsing: Array(JSONEncoder().encode(status)))]
            let written = try await client.core.v1.nodes().patch(node.name, type: .merge, patch: patch, subresource: "status")
            node.reported(written, at: clock.now)
        } catch {
            logger.warning("error updating node status", metadata: ["node": "\(node.name)", "error": "\(error)"])
        }
    }
}
