import SkiffAPI
import SkiffClient

/// Turns pod changes into the keys of the apps/v1 owners of one `kind` and into observed
/// expectations (for owners that keep them): a controlled pod queues its owner, an orphan
/// queues the owners whose selector matches it (they may adopt it).
struct PodEventHandler: Sendable {
    let owners: Lister
    let kind: String
    let expectations: ControllerExpectations?
    let queue: DelayingWorkQueue<String>

    func handle(_ event: InformerEvent<JSONValue>) async {
        switch event {
        case .added(let pod, _):
            if let owner = controller(of: pod) {
                expectations?.creationObserved(owner)
                queue.add(owner)
            } else {
                matchingOwners(pod).forEach(queue.add)
            }
        case .updated(let old, let new):
            guard old.resourceVersion != new.resourceVersion else { return }
            let oldOwner = controller(of: old)
            let newOwner = controller(of: new)
            if let oldOwner, oldOwner != newOwner { queue.add(oldOwner) }
            if let newOwner {
                queue.add(newOwner)
            } else if old.labels != new.labels || oldOwner != nil {
                matchingOwners(new).forEach(queue.add)
            }
        case .deleted(let deleted):
            guard let owner = controller(of: deleted.object) else { return }
            expectations?.deletionObserved(owner)
            queue.add(owner)
        }
    }

    private var resolver: OwnerResolver { OwnerResolver(owners: owners, kind: kind) }

    /// The key of the owner controlling `pod`, if it is cached with the referenced UID.
    private func controller(of pod: JSONValue) -> String? { resolver.controllerKey(of: pod) }

    /// The owners that could adopt the orphan `pod`.
    private func matchingOwners(_ pod: JSONValue) -> [String] { resolver.selectingKeys(of: pod) }
}
