import SkiffAPI
import Synchronization

/// Who owns whom, across every resource the garbage collector watches (upstream's
/// `GraphBuilder` uidToNode): a node per object by UID, with its owner references and the
/// dependents that name it. Owners need not be known (yet): a dependent may name an owner
/// that never existed. The graph routes events (a deleted owner's dependents are looked at
/// again); decisions about an owner's dependents read the informers' caches, which the graph
/// may trail while handlers catch up.
final class OwnershipGraph: Sendable {
    /// An object in the graph.
    struct Node: Sendable, Hashable {
        var resource: GroupVersionResource
        var apiVersion: String
        var kind: String
        var namespace: String?
        var name: String
        var uid: String
        var owners: [Owner]
        var finalizers: [String]
        var isBeingDeleted: Bool

        /// The node of `object`; nil for an object without a UID.
        init?(_ object: JSONValue, resource: GroupVersionResource) {
            guard let uid = object.uid, !uid.isEmpty else { return nil }
            self.resource = resource
            apiVersion = object.apiVersion ?? resource.groupVersion.apiVersion
            kind = object.kind ?? ""
            namespace = object.namespace
            name = object.name ?? ""
            self.uid = uid
            owners = object.ownerReferences.map(Owner.init)
            finalizers = object.finalizers
            isBeingDeleted = object.deletionTimestamp != nil
        }

        /// Whether the object waits for its dependents (foreground deletion).
        var isDeletingDependents: Bool { isBeingDeleted && finalizers.contains(GarbageCollector.foregroundFinalizer) }
        /// Whether the object waits for its dependents to be orphaned.
        var isOrphaningDependents: Bool { isBeingDeleted && finalizers.contains(GarbageCollector.orphanFinalizer) }
    }

    /// One owner reference of a node.
    struct Owner: Sendable, Hashable {
        var apiVersion: String
        var kind: String
        var name: String
        var uid: String
        var blockOwnerDeletion: Bool

        init(_ reference: JSONValue) {
            apiVersion = reference["apiVersion"]?.stringValue ?? ""
            kind = reference["kind"]?.stringValue ?? ""
            name = reference["name"]?.stringValue ?? ""
            uid = reference["uid"]?.stringValue ?? ""
            blockOwnerDeletion = reference["blockOwnerDeletion"]?.boolValue ?? false
        }
    }

    private struct State {
        var nodes: [String: Node] = [:]
        /// Owner UID → UIDs of the objects naming it.
        var dependents: [String: Set<String>] = [:]
    }

    private let state = Mutex(State())

    /// Records `object` of `resource`; returns the node it replaced.
    @discardableResult
    func upsert(_ object: JSONValue, resource: GroupVersionResource) -> Node? {
        guard let node = Node(object, resource: resource) else { return nil }
        let uid = node.uid
        return state.withLock { state in
            let old = state.nodes.updateValue(node, forKey: uid)
            for owner in old?.owners ?? [] { state.dependents[owner.uid]?.remove(uid) }
            for owner in node.owners { state.dependents[owner.uid, default: []].insert(uid) }
            return old
        }
    }

    /// Forgets `object`; returns its node if it was known.
    @discardableResult
    func remove(_ object: JSONValue) -> Node? {
        guard let uid = object.uid else { return nil }
        return state.withLock { state in
            guard let old = state.nodes.removeValue(forKey: uid) else { return nil }
            for owner in old.owners {
                state.dependents[owner.uid]?.remove(uid)
                if state.dependents[owner.uid]?.isEmpty == true { state.dependents[owner.uid] = nil }
            }
            return old
        }
    }

    func node(_ uid: String) -> Node? {
        state.withLock { $0.nodes[uid] }
    }

    /// The objects naming `uid` as an owner.
    func dependents(of uid: String) -> [Node] {
        state.withLock { state in (state.dependents[uid] ?? []).compactMap { state.nodes[$0] } }
    }
}
