import SkiffAPI
import SkiffClient
import SkiffModels

/// The ControllerRevisions of StatefulSets or DaemonSets (upstream's `controller/history`):
/// immutable snapshots of an owner's template, named `<owner>-<hash>`, numbered in the order
/// they became current, and trimmed to the owner's `revisionHistoryLimit`.
struct ControllerHistory<Owner: TemplatedWorkload>: Sendable {
    /// The cache of every ControllerRevision.
    let revisions: TypedLister<AppsV1.ControllerRevision>
    let client: KubernetesClient
    /// The label carrying a revision's hash (`controller.kubernetes.io/hash` for StatefulSets,
    /// `controller-revision-hash` for DaemonSets).
    let hashLabel: String

    private var revisionClient: ResourceClient<AppsV1.ControllerRevision> { client.apps.v1.controllerRevisions() }

    /// The patch a revision stores for `owner`'s pod template (upstream's `getPatch`): the
    /// template that replaces the owner's on a rollback.
    static func data(forTemplateOf owner: Owner) -> JSONValue {
        var template = (try? JSONValue(encoding: owner.podTemplate ?? CoreV1.PodTemplateSpec())) ?? .emptyObject
        template["$patch"] = "replace"
        return ["spec": ["template": template]]
    }

    /// The pod template a revision stores.
    static func template(of revision: AppsV1.ControllerRevision) -> CoreV1.PodTemplateSpec? {
        guard var template = revision.data?[path: "spec", "template"] else { return nil }
        template["$patch"] = nil
        return try? template.decoded(as: CoreV1.PodTemplateSpec.self)
    }

    /// The revisions `owner` controls, oldest first, after adopting the orphaned revisions its
    /// selector matches (a set deleted with `orphan` and created again gets its history back,
    /// as upstream's `adoptOrphanRevisions`).
    func list(for owner: Owner, selector: LabelSelector) async throws -> [AppsV1.ControllerRevision] {
        var owned: [AppsV1.ControllerRevision] = []
        for revision in revisions.namespace(owner.namespace).list() {
            if revision.isControlled(by: owner) {
                owned.append(revision)
            } else if revision.metadata?.controllerReference == nil, !selector.isEverything,
                selector.matches(revision.metadata?.labels ?? [:])
            {
                let references = (revision.metadata?.ownerReferences ?? []) + [.controller(of: owner)]
                let patch: JSONValue = [
                    "metadata": [
                        "ownerReferences": try JSONValue(encoding: references),
                        "resourceVersion": .string(revision.metadata?.resourceVersion ?? ""),
                    ],
                ]
                owned.append(try await revisionClient.namespace(owner.namespace).patch(revision.name, type: .merge, patch: patch))
            }
        }
        return owned.sorted { ($0.revision, $0.name) < ($1.revision, $1.name) }
    }

    /// The revision of `owner`'s current template (upstream's `getStatefulSetRevisions` and
    /// `constructHistory`): the latest revision when it already holds this template; an older
    /// one holding it renumbered as the latest (a rollback); else a new revision, its name
    /// made unique by raising `collisionCount` when another revision took the name.
    func currentTemplateRevision(
        for owner: Owner, existing: [AppsV1.ControllerRevision], collisionCount: inout Int64
    ) async throws -> AppsV1.ControllerRevision {
        let data = Self.data(forTemplateOf: owner)
        let next = (existing.map(\.revision).max() ?? 0) + 1
        let revisions = revisionClient.namespace(owner.namespace)
        if let equal = existing.last(where: { $0.data == data }) {
            if equal.name == existing.last?.name { return equal }
            return try await revisions.patch(equal.name, type: .merge, patch: ["revision": .int(next)])
        }
        while true {
            let hash = RevisionHash.hash(of: data, collisionCount: collisionCount)
            let revision = newRevision(for: owner, hash: hash, data: data, number: next)
            do {
                return try await revisions.create(revision)
            } catch let error as APIError where error.isAlreadyExists {
                let found = try await revisions.get(revision.name)
                if found.data == data, found.isControlled(by: owner) { return found }
                collisionCount += 1
            }
        }
    }

    private func newRevision(for owner: Owner, hash: String, data: JSONValue, number: Int64) -> AppsV1.ControllerRevision {
        var labels = owner.podTemplate?.metadata?.labels ?? [:]
        labels[hashLabel] = hash
        return AppsV1.ControllerRevision(
            data: data,
            metadata: ObjectMeta(
                name: "\(owner.name)-\(hash)", namespace: owner.namespace, labels: labels, annotations: owner.metadata?.annotations,
                ownerReferences: [.controller(of: owner)]),
            revision: number)
    }

    /// Deletes the oldest revisions that no pod uses and that are neither current nor being
    /// rolled out (the names in `live`), beyond the owner's `revisionHistoryLimit` (10).
    func truncate(_ existing: [AppsV1.ControllerRevision], of owner: Owner, live: Set<String>) async throws {
        let limit = Int(owner.historyLimit ?? 10)
        let history = existing.filter { !live.contains($0.name) }
        guard history.count > limit else { return }
        for revision in history.prefix(history.count - limit) {
            do {
                try await revisionClient.namespace(owner.namespace).delete(revision.name)
            } catch let error as APIError where error.isNotFound {
                continue
            }
        }
    }
}
