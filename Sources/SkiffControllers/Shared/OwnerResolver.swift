import SkiffAPI
import SkiffClient

/// Finds, in a lister of workload controllers of one kind (ReplicaSets, Deployments, …), the
/// controller of a dependent or the controllers whose selector could adopt it: how workload
/// controllers route their dependents' events to their own keys.
struct OwnerResolver<Owner: SelectingWorkload>: Sendable {
    let owners: TypedLister<Owner>

    /// The key of the cached owner `dependent`'s controller reference names (same UID), if any.
    func controllerKey(of dependent: some KubernetesObject) -> String? {
        controller(of: dependent)?.cacheKey
    }

    /// The cached owner `dependent`'s controller reference names (same UID), if any.
    func controller(of dependent: some KubernetesObject) -> Owner? {
        guard let reference = dependent.metadata?.controllerReference, reference.kind == Owner.groupVersionKind.kind,
            GroupVersion(apiVersion: reference.apiVersion)?.group == Owner.groupVersionKind.group,
            let owner = owners.namespace(dependent.namespace).get(reference.name), owner.metadata?.uid == reference.uid
        else { return nil }
        return owner
    }

    /// The keys of the owners in `dependent`'s namespace whose non-empty selector matches it.
    func selectingKeys(of dependent: some KubernetesObject) -> [String] {
        let labels = dependent.metadata?.labels ?? [:]
        return owners.namespace(dependent.namespace).list().filter { owner in
            guard let selector = try? LabelSelector(owner.labelSelector) else { return false }
            return !selector.isEverything && selector.matches(labels)
        }.map(\.cacheKey)
    }
}
