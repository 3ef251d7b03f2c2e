import SkiffAPI
import SkiffClient
import SkiffModels

/// Informer events: pending pods go to the queue, bound pods and nodes to the cache, and changes
/// that may make room move unschedulable pods back to the queue.
extension Scheduler {
    func handlePod(_ event: InformerEvent<CoreV1.Pod>) {
        switch event {
        case .added(let object, _):
            podChanged(old: nil, PodInfo(object))
        case .updated(let old, let new):
            podChanged(old: PodInfo(old), PodInfo(new))
        case .deleted(let deleted):
            let pod = PodInfo(deleted.object)
            queue.delete(key: pod.key)
            nominator.remove(key: pod.key)
            if !pod.nodeName.isEmpty || cache.isAssumed(key: pod.key) {
                cache.remove(podKey: pod.key)
                queue.moveAll()
            }
        }
    }

    private func podChanged(old: PodInfo?, _ pod: PodInfo) {
        if !pod.nodeName.isEmpty {
            queue.delete(key: pod.key)
            nominator.remove(key: pod.key)
            if pod.isTerminal {
                // A finished pod no longer uses its node.
                cache.remove(podKey: pod.key)
                if old.map({ !$0.isTerminal }) ?? false { queue.moveAll() }
            } else {
                cache.upsert(boundPod: pod)
                // A new pod may satisfy another's required affinity or spread.
                if old?.nodeName.isEmpty ?? true {
                    queue.moveAll(affectsInFlight: false) { $0.hasRequiredAffinity || !$0.spreadConstraints.isEmpty }
                }
            }
        } else if pod.isForDefaultScheduler && !pod.isTerminal && !pod.isBeingDeleted {
            if !cache.isAssumed(key: pod.key) {
                queue.add(pod)
                nominator.update(old: old, pod)
            }
        } else {
            queue.delete(key: pod.key)
            nominator.remove(key: pod.key)
        }
    }

    func handleNode(_ event: InformerEvent<CoreV1.Node>) {
        switch event {
        case .added(let object, _):
            cache.upsert(node: Node(object))
            queue.moveAll()
        case .updated(_, let object):
            if cache.upsert(node: Node(object)) { queue.moveAll() }
        case .deleted(let deleted):
            cache.removeNode(named: deleted.object.name)
        }
    }

    /// A claim, volume or class changed: pods with claims may fit now (a claim bound, a volume created).
    func storageChanged() {
        queue.moveAll { !$0.claimNames.isEmpty }
    }
}
