import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// One DaemonSet brought in line with its spec (upstream's daemon controller `syncDaemonSet`):
/// the revision of its template, a pod for every node that should run one and none on the
/// others, the rolling update within `maxUnavailable` / `maxSurge`, then the status.
struct DaemonSetSync: Reconciler {
    let daemonSets: TypedLister<AppsV1.DaemonSet>
    let pods: TypedLister<CoreV1.Pod>
    let nodes: TypedLister<CoreV1.Node>
    let history: ControllerHistory<AppsV1.DaemonSet>
    let client: KubernetesClient
    let expectations: ControllerExpectations
    let podControl: PodControl
    let failedPodBackoff: FailedPodBackoff
    let clock: any TimestampClock

    /// A node with the set's active pods on it.
    struct NodePods {
        var node: CoreV1.Node
        var decision: DaemonSetPlacement.Decision
        /// Oldest first, bound pods before unbound ones.
        var pods: [CoreV1.Pod]
    }

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let daemonSet = daemonSets.get(key: key) else {
            expectations.delete(key)
            return .done
        }
        guard !daemonSet.isBeingDeleted else { return .done }
        let selector: LabelSelector
        do {
            selector = try LabelSelector(daemonSet.spec?.selector)
        } catch {
            throw TerminalError(error)
        }
        let existing = try await history.list(for: daemonSet, selector: selector)
        var collisionCount = Int64(daemonSet.status?.collisionCount ?? 0)
        let revision = try await history.currentTemplateRevision(for: daemonSet, existing: existing, collisionCount: &collisionCount)
        let hash = revision.metadata?.labels?[DaemonSetPlacement.hashLabel] ?? ""
        let owned = try await ControllerRefManager.rereadingOwner(
            daemonSet, from: client.apps.v1.daemonSets(), selector: selector, dependents: client.core.v1.pods()
        ).claim(pods.namespace(daemonSet.namespace).claimable(by: daemonSet.metadata?.uid ?? ""))
        let byNode = Self.podsByNode(owned, nodes: nodes.list(), daemonSet: daemonSet)
        var backOff: Duration?
        if expectations.isSatisfied(key) {
            // Pods meant for no node, or for a node that is gone.
            let orphans = owned.filter { pod in DaemonSetPlacement.targetNode(of: pod).map { nodes.get($0) == nil } ?? true }
            var plan = Self.plan(daemonSet, byNode: byNode, hash: hash, orphans: orphans, now: clock.now)
            backOff = deferFailedPods(&plan, of: daemonSet)
            try await apply(plan, to: daemonSet, key: key, hash: hash)
        }
        let status = Self.status(of: daemonSet, byNode: byNode, hash: hash, collisionCount: collisionCount, now: clock.now)
        try await StatusWriter.write(daemonSet, through: client.apps.v1.daemonSets(daemonSet.namespace)) {
            Self.write(status, observedGeneration: $1, into: &$0)
        }
        var live = Set(owned.compactMap { $0.metadata?.labels?[DaemonSetPlacement.hashLabel] }.map { "\(daemonSet.name)-\($0)" })
        live.insert(revision.name)
        try await history.truncate(existing.filter { $0.name != revision.name }, of: daemonSet, live: live)

        let minReadySeconds = Int64(daemonSet.spec?.minReadySeconds ?? 0)
        var retry = backOff
        if minReadySeconds > 0, status.ready != status.available { retry = min(retry ?? .seconds(minReadySeconds), .seconds(minReadySeconds)) }
        return retry.map(ReconcileResult.requeueAfter) ?? .done
    }

    /// Keeps failed pods on nodes still backing off out of `plan` (upstream's
    /// `failedPodsBackoff`, keyed by set, observed generation and node); returns when to look again.
    private func deferFailedPods(_ plan: inout Plan, of daemonSet: AppsV1.DaemonSet) -> Duration? {
        var wait: Duration?
        var deferred: Set<String> = []
        for pod in plan.failed {
            let generation = daemonSet.status?.observedGeneration ?? 0
            let key = "\(daemonSet.metadata?.uid ?? "")/\(generation)/\(DaemonSetPlacement.targetNode(of: pod) ?? "")"
            if let remaining = failedPodBackoff.remaining(key) {
                deferred.insert(pod.metadata?.uid ?? "")
                wait = min(wait ?? remaining, remaining)
            } else {
                failedPodBackoff.next(key)
            }
        }
        plan.failed.removeAll { deferred.contains($0.metadata?.uid ?? "") }
        plan.delete.removeAll { deferred.contains($0.metadata?.uid ?? "") }
        return wait
    }

    /// Every node with its decision and the set's pods that are on it or meant for it.
    static func podsByNode(_ pods: [CoreV1.Pod], nodes: [CoreV1.Node], daemonSet: AppsV1.DaemonSet) -> [NodePods] {
        var grouped: [String: [CoreV1.Pod]] = [:]
        for pod in pods {
            guard let node = DaemonSetPlacement.targetNode(of: pod) else { continue }
            grouped[node, default: []].append(pod)
        }
        return nodes.sorted { $0.name < $1.name }.map { node in
            NodePods(
                node: node, decision: DaemonSetPlacement.decision(for: daemonSet, node: node),
                pods: (grouped[node.name] ?? []).sorted(by: Self.olderFirst))
        }
    }

    /// Bound pods first, then by creation time, then by name (upstream's `podByCreationTimestampAndPhase`).
    static func olderFirst(_ a: CoreV1.Pod, _ b: CoreV1.Pod) -> Bool {
        let aBound = !(a.spec?.nodeName ?? "").isEmpty
        let bBound = !(b.spec?.nodeName ?? "").isEmpty
        if aBound != bBound { return aBound }
        let aCreated = a.metadata?.creationTimestamp ?? Timestamp(seconds: 0, nanoseconds: 0)
        let bCreated = b.metadata?.creationTimestamp ?? Timestamp(seconds: 0, nanoseconds: 0)
        if aCreated != bCreated { return aCreated < bCreated }
        return a.name < b.name
    }

    // MARK: Planning

    /// The nodes to create pods on and the pods to delete in one sync.
    struct Plan: Equatable {
        var createOn: [String] = []
        var delete: [CoreV1.Pod] = []
        /// Failed pods among `delete`, reported as `FailedDaemonPod`.
        var failed: [CoreV1.Pod] = []
        var isEmpty: Bool { createOn.isEmpty && delete.isEmpty }
    }

    /// What `manage` and the rolling update decide (upstream's `podsShouldBeOnNode` and
    /// `rollingUpdate`): pods for nodes that should run one and have none; failed pods,
    /// extra pods, pods on nodes that should not keep them and pods for nodes that are gone
    /// deleted; old pods replaced within the update budget.
    static func plan(_ daemonSet: AppsV1.DaemonSet, byNode: [NodePods], hash: String, orphans: [CoreV1.Pod], now: Timestamp) -> Plan {
        var plan = Plan()
        let surge = allowsSurge(daemonSet, byNode: byNode)
        for entry in byNode {
            let nodeName = entry.node.name
            let decision = entry.decision
            if decision.shouldRun, entry.pods.isEmpty {
                plan.createOn.append(nodeName)
            } else if decision.shouldContinueRunning {
                var running: [CoreV1.Pod] = []
                for pod in entry.pods where !pod.isBeingDeleted {
                    if pod.isFinished {
                        plan.delete.append(pod)
                        if pod.phase == "Failed" { plan.failed.append(pod) }
                    } else {
                        running.append(pod)
                    }
                }
                plan.delete += extraPods(running, hash: hash, surge: surge)
            } else {
                plan.delete += entry.pods.filter { !$0.isBeingDeleted }
            }
        }
        plan.delete += orphans.filter { !$0.isBeingDeleted }
        if daemonSet.spec?.updateStrategy?.type == "RollingUpdate" {
            let update = rollingUpdate(daemonSet, byNode: byNode, hash: hash, now: now)
            let planned = Set(plan.delete.compactMap { $0.metadata?.uid })
            plan.delete += update.delete.filter { !planned.contains($0.metadata?.uid ?? "") }
            plan.createOn += update.createOn.filter { !plan.createOn.contains($0) }
        }
        return plan
    }

    /// More than one running pod on a node: all but the oldest go; with a surge, the oldest
    /// updated pod and the oldest old pod may both stay.
    static func extraPods(_ running: [CoreV1.Pod], hash: String, surge: Bool) -> [CoreV1.Pod] {
        guard running.count > 1 else { return [] }
        guard surge else { return Array(running.dropFirst()) }
        var keptNew = false
        var keptOld = false
        return running.filter { pod in
            if pod.metadata?.labels?[DaemonSetPlacement.hashLabel] == hash {
                defer { keptNew = true }
                return keptNew
            }
            defer { keptOld = true }
            return keptOld
        }
    }

    /// The update budget: `maxSurge` and `maxUnavailable` of the nodes that should run a pod
    /// (percentages rounded up), at least one unavailable when both are zero.
    static func budget(_ daemonSet: AppsV1.DaemonSet, byNode: [NodePods]) -> (maxSurge: Int, maxUnavailable: Int) {
        let desired = byNode.filter(\.decision.shouldRun).count
        let rolling = daemonSet.spec?.updateStrategy?.rollingUpdate
        // Both round up for DaemonSets (upstream's `updatedDesiredNodeCounts`); invalid values count as zero.
        let maxSurge = (try? RolloutBounds.scaled(rolling?.maxSurge, total: desired, roundUp: true)) ?? 0
        let maxUnavailable = (try? RolloutBounds.scaled(rolling?.maxUnavailable, total: desired, roundUp: true)) ?? 0
        return (maxSurge, maxSurge == 0 && maxUnavailable == 0 ? 1 : maxUnavailable)
    }

    static func allowsSurge(_ daemonSet: AppsV1.DaemonSet, byNode: [NodePods]) -> Bool {
        daemonSet.spec?.updateStrategy?.type == "RollingUpdate" && budget(daemonSet, byNode: byNode).maxSurge > 0
    }

    /// Old pods replaced (upstream's `rollingUpdate`): without a surge, unavailable old pods
    /// go at once and available ones while fewer than `maxUnavailable` nodes lack an available
    /// pod; with a surge, new pods start next to old ones (at once where the old pod is not
    /// available, else up to `maxSurge` at a time) and an old pod goes once its node's new pod
    /// is available.
    static func rollingUpdate(_ daemonSet: AppsV1.DaemonSet, byNode: [NodePods], hash: String, now: Timestamp) -> Plan {
        let (maxSurge, maxUnavailable) = budget(daemonSet, byNode: byNode)
        let minReadySeconds = Int64(daemonSet.spec?.minReadySeconds ?? 0)
        func available(_ pod: CoreV1.Pod) -> Bool { pod.isAvailable(minReadySeconds: minReadySeconds, now: now) }
        var plan = Plan()
        var unavailable = 0
        var surging = 0
        var candidates: [CoreV1.Pod] = []
        var surgeCandidates: [String] = []
        for entry in byNode where entry.decision.shouldRun && !entry.pods.isEmpty {
            let live = entry.pods.filter { !$0.isBeingDeleted }
            let new = live.filter { $0.metadata?.labels?[DaemonSetPlacement.hashLabel] == hash }
            let old = live.filter { $0.metadata?.labels?[DaemonSetPlacement.hashLabel] != hash }
            guard new.count <= 1, old.count <= 1 else { continue }
            if maxSurge > 0 {
                guard let oldPod = old.first else { continue }
                if let newPod = new.first {
                    if available(newPod) { plan.delete.append(oldPod) } else { surging += 1 }
                } else if !available(oldPod) {
                    plan.createOn.append(entry.node.name)
                } else {
                    surgeCandidates.append(entry.node.name)
                }
                continue
            }
            switch (old.first, new.first) {
            case (nil, nil), (.some(_), .some(_)):
                unavailable += 1
            case (nil, .some(let newPod)):
                if !available(newPod) { unavailable += 1 }
            case (.some(let oldPod), nil):
                if !available(oldPod) {
                    plan.delete.append(oldPod)
                } else if unavailable < maxUnavailable {
                    candidates.append(oldPod)
                }
            }
        }
        if maxSurge > 0 {
            plan.createOn += surgeCandidates.prefix(max(0, maxSurge - surging))
        } else {
            plan.delete += candidates.prefix(max(0, maxUnavailable - unavailable))
        }
        return plan
    }

    // MARK: Acting

    private func apply(_ plan: Plan, to daemonSet: AppsV1.DaemonSet, key: String, hash: String) async throws {
        guard !plan.isEmpty else { return }
        expectations.expect(key, adds: plan.createOn.count, deletes: plan.delete.count)
        let reference = ObjectReference(daemonSet)
        for pod in plan.failed {
            await podControl.recorder.record(
                reference, type: .warning, reason: "FailedDaemonPod",
                message: "Found failed daemon pod \(pod.namespace)/\(pod.name) on node \(DaemonSetPlacement.targetNode(of: pod) ?? ""), will try to kill it")
        }
        let namespace = daemonSet.namespace
        let created = plan.createOn.map { nodeName in DaemonSetPlacement.pod(of: daemonSet, nodeName: nodeName, hash: hash) }
        // Both run even when one fails, so that every expectation is settled.
        var failure: (any Error)?
        do {
            try await podControl.delete(plan.delete, namespace: namespace, owner: reference, key: key)
        } catch {
            failure = error
        }
        do {
            try await podControl.create(created, namespace: namespace, owner: reference, key: key)
        } catch {
            failure = failure ?? error
        }
        if let failure { throw failure }
    }

    // MARK: Status

    /// What a DaemonSet's status reports.
    struct Status: Hashable {
        var desired = 0
        var current = 0
        var misscheduled = 0
        var ready = 0
        var available = 0
        var updated = 0
        var collisionCount: Int64 = 0
    }

    /// The counts over nodes (upstream's `updateDaemonSetStatus`): nodes that should run a pod,
    /// those that have one, those that have one but should not, and for the oldest pod of each
    /// node that should run one whether it is ready, available and of the current revision.
    static func status(of daemonSet: AppsV1.DaemonSet, byNode: [NodePods], hash: String, collisionCount: Int64, now: Timestamp) -> Status {
        let minReadySeconds = Int64(daemonSet.spec?.minReadySeconds ?? 0)
        var status = Status(collisionCount: collisionCount)
        for entry in byNode {
            guard entry.decision.shouldRun else {
                if !entry.pods.isEmpty { status.misscheduled += 1 }
                continue
            }
            status.desired += 1
            guard let pod = entry.pods.first else { continue }
            status.current += 1
            if pod.isReady {
                status.ready += 1
                if pod.isAvailable(minReadySeconds: minReadySeconds, now: now) { status.available += 1 }
            }
            if pod.metadata?.labels?[DaemonSetPlacement.hashLabel] == hash { status.updated += 1 }
        }
        return status
    }

    /// Sets the status fields, leaving out the optional ones at zero as upstream's `omitempty` does.
    static func write(_ status: Status, observedGeneration: Int64, into daemonSet: inout AppsV1.DaemonSet) {
        func positive(_ value: Int) -> Int32? { value <= 0 ? nil : Int32(value) }
        var fields = daemonSet.status
            ?? AppsV1.DaemonSetStatus(currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0)
        fields.desiredNumberScheduled = Int32(status.desired)
        fields.currentNumberScheduled = Int32(status.current)
        fields.numberMisscheduled = Int32(status.misscheduled)
        fields.numberReady = Int32(status.ready)
        fields.observedGeneration = observedGeneration
        fields.numberAvailable = positive(status.available)
        fields.numberUnavailable = positive(status.desired - status.available)
        fields.updatedNumberScheduled = positive(status.updated)
        fields.collisionCount = positive(Int(status.collisionCount))
        daemonSet.status = fields
    }
}
