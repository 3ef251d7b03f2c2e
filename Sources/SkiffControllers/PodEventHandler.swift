import SkiffAPI
import SkiffClient

/// Turns pod changes into the keys of the apps/v1 owners of one `kind` and into observed
/// expectations (for owners that keep them): a controlled pod queues its owner, an orphan
/// queues the owners whose selector matches it (they may adopt it).
struct PodEventHandler: Sendable {
    let owners: Lister
    let kind: String
    let expectations: ControllerExpectations?
    let queue: DelayingWorkQueue<String, ContinuousClock>

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

    /// The key of the owner controlling `pod`, if it is cached with the referenced UID.
    private func controller(of pod: JSONValue) -> String? {
        guard let reference = pod.controllerReference, reference["kind"]?.stringValue == kind,
            GroupVersion(apiVersion: reference["apiVersion"]?.stringValue ?? "")?.group == "apps",
            let namespace = pod.namespace, let name = reference["name"]?.stringValue,
            let owner = owners.namespace(namespace).get(name), owner.uid == reference["uid"]?.stringValue
        else { return nil }
        return ObjectKey.of(owner)
    }

    /// The owners that could adopt the orphan `pod`.
    private func matchingOwners(_ pod: JSONValue) -> [String] {
        guard let namespace = pod.namespace else { return [] }
        return owners.namespace(namespace).list().filter { owner in
            guard let selector = try? LabelSelector(selector: owner[path: "spec", "selector"] ?? .null) else { return false }
            return !selector.isEverything && selector.matches(pod.labels)
        }.map(ObjectKey.of)
    }
}
