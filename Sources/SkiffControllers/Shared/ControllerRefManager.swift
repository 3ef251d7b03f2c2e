import SkiffAPI
import SkiffClient

/// Claims the dependents a controller selects (upstream's `ControllerRefManager`): it keeps the
/// ones it controls that still match, releases the ones it controls that stopped matching
/// (unless it is being deleted), and adopts matching orphans once `canAdopt` has confirmed,
/// with a fresh read, that the controller still exists as cached. Owner references are
/// written with resourceVersion-guarded merge patches.
struct ControllerRefManager: Sendable {
    /// The controller, as cached.
    let controller: JSONValue
    /// The `ownerReferences` entry naming the controller.
    let reference: JSONValue
    let selector: LabelSelector
    /// The dependents' resource in the controller's namespace.
    let dependents: ResourceClient<JSONValue>
    /// Whether adopting is allowed (checked once, before the first adoption).
    let canAdopt: @Sendable () async throws -> Bool

    /// A manager for `owner`'s dependents that reads the owner again through `owners` before
    /// its first adoption and adopts only if it still exists with the same UID and is not being
    /// deleted (upstream's `canAdopt` check).
    static func rereadingOwner(
        _ owner: JSONValue, from owners: ResourceClient<JSONValue>, reference: JSONValue, selector: LabelSelector,
        dependents: ResourceClient<JSONValue>
    ) -> ControllerRefManager {
        let namespaced = owners.namespace(owner.namespace ?? "")
        return ControllerRefManager(
            controller: owner, reference: reference, selector: selector, dependents: dependents.namespace(owner.namespace ?? ""),
            canAdopt: {
                let latest = try await namespaced.get(owner.name ?? "")
                return latest.uid == owner.uid && latest.deletionTimestamp == nil
            })
    }

    /// A controller reference (`controller` and `blockOwnerDeletion` set) to `owner`.
    static func controllerReference(to owner: JSONValue, apiVersion: String, kind: String) -> JSONValue {
        [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(owner.name ?? ""),
            "uid": .string(owner.uid ?? ""), "controller": true, "blockOwnerDeletion": true,
        ]
    }

    /// The candidates the controller owns after adopting and releasing.
    func claim(_ candidates: [JSONValue]) async throws -> [JSONValue] {
        let uid = controller.uid ?? ""
        let beingDeleted = controller.deletionTimestamp != nil
        var owned: [JSONValue] = []
        var adoptionChecked = false
        for dependent in candidates {
            if let existing = dependent.controllerReference {
                guard existing["uid"]?.stringValue == uid else { continue }
                if selector.matches(dependent.labels) {
                    owned.append(dependent)
                } else if !beingDeleted {
                    try await setOwnerReferences(of: dependent, to: dependent.ownerReferences.filter { $0["uid"]?.stringValue != uid })
                }
                continue
            }
            guard !beingDeleted, dependent.deletionTimestamp == nil, selector.matches(dependent.labels) else { continue }
            if !adoptionChecked {
                guard try await canAdopt() else { return owned }
                adoptionChecked = true
            }
            if let adopted = try await setOwnerReferences(of: dependent, to: dependent.ownerReferences + [reference]) {
                owned.append(adopted)
            }
        }
        return owned
    }

    /// Replaces the dependent's owner references if it is unchanged since cached; nil if it is gone.
    @discardableResult
    private func setOwnerReferences(of dependent: JSONValue, to references: [JSONValue]) async throws -> JSONValue? {
        let patch: JSONValue = [
            "metadata": [
                "ownerReferences": references.isEmpty ? .null : .array(references),
                "resourceVersion": .string(dependent.resourceVersion ?? ""),
            ],
        ]
        do {
            return try await dependents.patch(dependent.name ?? "", type: .merge, patch: patch)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }
}
