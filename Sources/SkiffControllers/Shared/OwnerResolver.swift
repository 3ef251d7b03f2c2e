import SkiffAPI
import SkiffClient

/// Finds, in a lister of controllers of one kind (apps/v1 ReplicaSets, Deployments), the
/// controller of a dependent or the controllers whose selector could adopt it: how workload
/// controllers route their dependents' events to their own keys.
struct OwnerResolver: Sendable {
    let owners: Lister
    /// The owners' kind, in group `apps`.
    let kind: String

    /// The key of the cached owner `dependent`'s controller reference names (same UID), if any.
    func controllerKey(of dependent: JSONValue) -> String? {
        controller(of: dependent).map(ObjectKey.of)
    }

    /// The cached owner `dependent`'s controller reference names (same UID), if any.
    func controller(of dependent: JSONValue) -> JSONValue? {
        guard let reference = dependent.controllerReference, reference["kind"]?.stringValue == kind,
            GroupVersion(apiVersion: reference["apiVersion"]?.stringValue ?? "")?.group == "apps",
            let namespace = dependent.namespace, let name = reference["name"]?.stringValue,
            let owner = owners.namespace(namespace).get(name), owner.uid == reference["uid"]?.stringValue
        else { return nil }
        return owner
    }

    /// The keys of the owners in `dependent`'s namespace whose non-empty selector matches it.
    func selectingKeys(of dependent: JSONValue) -> [String] {
        guard let namespace = dependent.namespace else { return [] }
        return owners.namespace(namespace).list().filter { owner in
            guard let selector = try? LabelSelector(selector: owner[path: "spec", "selector"] ?? .null) else { return false }
            return !selector.isEverything && selector.matches(dependent.labels)
        }.map(ObjectKey.of)
    }
}
