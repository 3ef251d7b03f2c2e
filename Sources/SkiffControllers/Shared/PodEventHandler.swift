import SkiffAPI
import SkiffClient
import SkiffModels

/// Turns pod changes into the keys of the apps/v1 owners of one kind and into observed
/// expectations (for owners that keep them): a controlled pod queues its owner, an orphan
/// queues the owners whose selector matches it (they may adopt it).
struct PodEventHandler<Owner: SelectingWorkload>: Sendable {
    let owners: OwnerResolver<Owner>
    let expectations: ControllerExpectations?
    let queue: DelayingWorkQueue<String>

    func handle(_ event: InformerEvent<CoreV1.Pod>) async {
        switch event {
        case .added(let pod, _):
            if let owner = owners.controllerKey(of: pod) {
                expectations?.creationObserved(owner)
                queue.add(owner)
            } else {
                owners.selectingKeys(of: pod).forEach(queue.add)
            }
        case .updated(let old, let new):
            guard old.metadata?.resourceVersion != new.metadata?.resourceVersion else { return }
            let oldOwner = owners.controllerKey(of: old)
            let newOwner = owners.controllerKey(of: new)
            if let oldOwner, oldOwner != newOwner { queue.add(oldOwner) }
            if let newOwner {
                queue.add(newOwner)
            } else if old.metadata?.labels != new.metadata?.labels || oldOwner != nil {
                owners.selectingKeys(of: new).forEach(queue.add)
            }
        case .deleted(let deleted):
            guard let owner = owners.controllerKey(of: deleted.object) else { return }
            expectations?.deletionObserved(owner)
            queue.add(owner)
        }
    }
}
