import SkiffAPI
import SkiffClient

/// Claims the dependents a controller selects (upstream's `ControllerRefManager`): it keeps the
/// ones it controls that still match, releases the ones it controls that stopped matching
/// (unless it is being deleted), and adopts matching orphans once `canAdopt` has confirmed,
/// with a fresh read, that the controller still exists as cached. Owner references are
/// written with resourceVersion-guarded merge patches.
struct ControllerRefManager<Owner: KubernetesObject, Dependent: KubernetesObject>: Sendable {
    /// The controller, as cached.
    let controller: Owner
    let selector: LabelSelector
    /// The dependents' resource in the controller's namespace.
    let dependents: ResourceClient<Dependent>
    /// Whether adopting is allowed (checked once, before the first adoption).
    let canAdopt: @Sendable () async throws -> Bool

    /// A manager for `owner`'s dependents that reads the owner again through `owners` before
    /// its first adoption and adopts only if it still exists with the same UID and is not being
    /// deleted (upstream's `canAdopt` check).
    static func rereadingOwner(
        _ owner: Owner, from owners: ResourceClient<Owner>, selector: LabelSelector, dependents: ResourceClient<Dependent>
    ) -> ControllerRefManager {
        let namespaced = owners.namespace(owner.namespace)
        return ControllerRefManager(
            controller: owner, selector: selector, dependents: dependents.namespace(owner.namespace),
            canAdopt: {
                let latest = try await namespaced.get(owner.name)
                return latest.metadata?.uid == owner.metadata?.uid && !latest.isBeingDeleted
            })
    }

    /// The candidates the controller owns after adopting and releasing.
    func claim(_ candidates: [Dependent]) async throws -> [Dependent] {
        let uid = controller.metadata?.uid ?? ""
        let beingDeleted = controller.isBeingDeleted
        var owned: [Dependent] = []
        var adoptionChecked = false
        for dependent in candidates {
            let references = dependent.metadata?.ownerReferences ?? []
            let labels = dependent.metadata?.labels ?? [:]
            if let existing = dependent.metadata?.controllerReference {
                guard existing.uid == uid else { continue }
                if selector.matches(labels) {
                    owned.append(dependent)
                } else if !beingDeleted {
                    try await setOwnerReferences(of: dependent, to: references.filter { $0.uid != uid })
                }
                continue
            }
            guard !beingDeleted, !dependent.isBeingDeleted, selector.matches(labels) else { continue }
            if !adoptionChecked {
                guard try await canAdopt() else { return owned }
                adoptionChecked = true
            }
            if let adopted = try await setOwnerReferences(of: dependent, to: references + [.controller(of: controller)]) {
                owned.append(adopted)
            }
        }
        return owned
    }

    /// Replaces the dependent's owner references if it is unchanged since cached; nil if it is gone.
    @discardableResult
    private func setOwnerReferences(of dependent: Dependent, to references: [OwnerReference]) async throws -> Dependent? {
        let patch: JSONValue = [
            "metadata": [
                "ownerReferences": references.isEmpty ? .null : try JSONValue(encoding: references),
                "resourceVersion": .string(dependent.metadata?.resourceVersion ?? ""),
            ],
        ]
        do {
            return try await dependents.patch(dependent.name, type: .merge, patch: patch)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }
}
