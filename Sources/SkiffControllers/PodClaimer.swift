import SkiffAPI
import SkiffClient

/// Claims the pods an owner controls (upstream's `PodControllerRefManager.ClaimPods`): its
/// own pods that still match its selector, orphans that match it (adopted by adding a
/// controller reference, once the owner is read again and is still the same and not being
/// deleted), and its pods that stopped matching released. Owner references change through
/// merge patches guarded by the pod's resourceVersion.
struct PodClaimer: Sendable {
    let client: KubernetesClient
    /// The owners' resource, to read an owner again before adopting.
    let ownerResource: GroupVersionResource

    /// The pods `owner` owns among `candidates` that pass `filter`, after adopting and releasing.
    func claim(
        _ candidates: [JSONValue], for owner: JSONValue, selector: LabelSelector, controllerReference: JSONValue,
        filter: (JSONValue) -> Bool = { _ in true }
    ) async throws -> [JSONValue] {
        let uid = owner.uid ?? ""
        var owned: [JSONValue] = []
        var adoptionChecked = false
        for pod in candidates where filter(pod) {
            if let reference = pod.controllerReference {
                guard reference["uid"]?.stringValue == uid else { continue }
                if selector.matches(pod.labels) {
                    owned.append(pod)
                } else if owner.deletionTimestamp == nil {
                    try await setOwnerReferences(of: pod, to: pod.ownerReferences.filter { $0["uid"]?.stringValue != uid })
                }
                continue
            }
            guard selector.matches(pod.labels), owner.deletionTimestamp == nil else { continue }
            if !adoptionChecked {
                // Adopt only for an owner that still exists as cached (upstream's `canAdopt` check).
                let latest = try await client.dynamic.resource(ownerResource).namespace(owner.namespace ?? "").get(owner.name ?? "")
                guard latest.uid == uid, latest.deletionTimestamp == nil else { return owned }
                adoptionChecked = true
            }
            if let adopted = try await setOwnerReferences(of: pod, to: pod.ownerReferences + [controllerReference]) {
                owned.append(adopted)
            }
        }
        return owned
    }

    /// Replaces the pod's owner references if it is unchanged since cached; nil if it is gone.
    @discardableResult
    private func setOwnerReferences(of pod: JSONValue, to references: [JSONValue]) async throws -> JSONValue? {
        let patch: JSONValue = [
            "metadata": ["ownerReferences": references.isEmpty ? .null : .array(references), "resourceVersion": .string(pod.resourceVersion ?? "")],
        ]
        do {
            return try await client.dynamic.resource(.pods).namespace(pod.namespace ?? "").patch(pod.name ?? "", type: .merge, patch: patch)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }
}
