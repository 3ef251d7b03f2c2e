import SkiffAPI
import SkiffClient
import SkiffModels

/// The ControllerRevisions of StatefulSets or DaemonSets (upstream's `controller/history`):
/// immutable snapshots of an owner's template, named `<owner>-<hash>`, numbered in the order
/// they became current, and trimmed to the owner's `revisionHistoryLimit`.
struct ControllerHistory: Sendable {
    /// The cache of every ControllerRevision.
    let revisions: Lister
    let client: KubernetesClient
    /// The owners' kind (`StatefulSet`, `DaemonSet`).
    let ownerKind: String
    /// The label carrying a revision's hash (`controller.kubernetes.io/hash` for StatefulSets,
    /// `controller-revision-hash` for DaemonSets).
    let hashLabel: String

    private var revisionClient: ResourceClient<JSONValue> { client.dynamic.resource(AppsV1.ControllerRevision.groupVersionResource) }

    /// The patch a revision stores for `owner`'s pod template (upstream's `getPatch`): the
    /// template that replaces the owner's on a rollback.
    static func data(forTemplateOf owner: JSONValue) -> JSONValue {
        var template = owner[path: "spec", "template"] ?? .emptyObject
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// The pod template a revision stores.
    static func template(of revision: JSONValue) -> JSONValue {
        var template = revision[path: "data", "spec", "template"] ?? .emptyObject
        template["$patch"] = nil
        return template
    }

    static func number(of revision: JSONValue) -> Int64 { revision["revision"]?.intValue ?? 0 }

    /// The revisions `owner` controls, oldest first, after adopting the orphaned revisions its
    /// selector matches (a set deleted with `orphan` and created again gets its history back,
    /// as upstream's `adoptOrphanRevisions`).
    func list(for owner: JSONValue, selector: LabelSelector) async throws -> [JSONValue] {
        var owned: [JSONValue] = []
        for revision in revisions.namespace(owner.namespace ?? "").list() {
            if revision.isControlled(by: owner.uid ?? "") {
                owned.append(revision)
            } else if revision.controllerReference == nil, !selector.isEverything, selector.matches(revision.labels) {
                let patch: JSONValue = [
                    "metadata": [
                        "ownerReferences": .array(revision.ownerReferences + [controllerReference(to: owner)]),
                        "resourceVersion": .string(revision.resourceVersion ?? ""),
                    ],
                ]
                owned.append(try await revisionClient.namespace(owner.namespace ?? "").patch(revision.name ?? "", type: .merge, patch: patch))
            }
        }
        return owned.sorted { (Self.number(of: $0), $0.name ?? "") < (Self.number(of: $1), $1.name ?? "") }
    }

    /// The revision of `owner`'s current template (upstream's `getStatefulSetRevisions` and
    /// `constructHistory`): the latest revision when it already holds this template; an older
    /// one holding it renumbered as the latest (a rollback); else a new revision, its name
    /// made unique by raising `collisionCount` when another revision took the name.
    func currentTemplateRevision(for owner: JSONValue, existing: [JSONValue], collisionCount: inout Int64) async throws -> JSONValue {
        let data = Self.data(forTemplateOf: owner)
        let next = (existing.map(Self.number(of:)).max() ?? 0) + 1
        if let equal = existing.last(where: { $0["data"] == data }) {
            if equal.name == existing.last?.name { return equal }
            return try await revisionClient.namespace(owner.namespace ?? "").patch(
                equal.name ?? "", type: .merge, patch: ["revision": .int(next)])
        }
        while true {
            let hash = RevisionHash.hash(of: data, collisionCount: collisionCount)
            let revision = newRevision(for: owner, hash: hash, data: data, number: next)
            do {
                return try await revisionClient.namespace(owner.namespace ?? "").create(revision)
            } catch let error as APIError where error.isAlreadyExists {
                let found = try await revisionClient.namespace(owner.namespace ?? "").get(revision.name ?? "")
                if found["data"] == data, found.isControlled(by: owner.uid ?? "") { return found }
                collisionCount += 1
            }
        }
    }

    private func newRevision(for owner: JSONValue, hash: String, data: JSONValue, number: Int64) -> JSONValue {
        var labels = owner[path: "spec", "template", "metadata", "labels"]?.objectValue ?? [:]
        labels[hashLabel] = .string(hash)
        var revision: JSONValue = [
            "apiVersion": "apps/v1", "kind": "ControllerRevision",
            "metadata": [
                "name": .string("\(owner.name ?? "")-\(hash)"), "namespace": .string(owner.namespace ?? ""), "labels": .object(labels),
                "ownerReferences": [controllerReference(to: owner)],
            ],
            "data": data, "revision": .int(number),
        ]
        revision.annotations = owner.annotations
        return revision
    }

    /// A controller reference to `owner` that blocks its deletion in the foreground.
    func controllerReference(to owner: JSONValue) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": .string(ownerKind), "name": .string(owner.name ?? ""), "uid": .string(owner.uid ?? ""),
            "controller": true, "blockOwnerDeletion": true,
        ]
    }

    /// Deletes the oldest revisions that no pod uses and that are neither current nor being
    /// rolled out (the names in `live`), beyond the owner's `revisionHistoryLimit` (10).
    func truncate(_ existing: [JSONValue], of owner: JSONValue, live: Set<String>) async throws {
        let limit = Int(owner[path: "spec", "revisionHistoryLimit"]?.intValue ?? 10)
        let history = existing.filter { !live.contains($0.name ?? "") }
        guard history.count > limit else { return }
        for revision in history.prefix(history.count - limit) {
            do {
                try await revisionClient.namespace(owner.namespace ?? "").delete(revision.name ?? "")
            } catch let error as APIError where error.isNotFound {
                continue
            }
        }
    }
}
