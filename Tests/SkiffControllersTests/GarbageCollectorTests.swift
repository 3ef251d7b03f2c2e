import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Background, foreground and orphan deletion of an owner ConfigMap with dependent ConfigMaps.
struct GarbageCollectorTests {
    /// Creates `owner` and dependents `dependents` naming it; returns the owner.
    static func family(_ cluster: InProcessCluster, owner: String, dependents: [String], blocking: Bool = false) async throws -> JSONValue {
        let created = try await cluster.configMaps().create(.configMap(owner))
        for name in dependents {
            _ = try await cluster.configMaps().create(.configMap(name, owners: [created.ownerReference(blockOwnerDeletion: blocking)]))
        }
        return created
    }

    @Test func backgroundDeletionRemovesDependents() async throws {
        try await InProcessCluster.withControllers(controllers: [.garbageCollector]) { cluster in
            let configMaps = cluster.configMaps()
            _ = try await Self.family(cluster, owner: "parent", dependents: ["child-a", "child-b"])
            try await configMaps.delete("parent", options: DeleteOptions(propagationPolicy: .background))
            try await waitUntil("the dependents collected") {
                let a = try await InProcessCluster.exists("child-a", in: configMaps)
                let b = try await InProcessCluster.exists("child-b", in: configMaps)
                return !a && !b
            }
        }
    }

    @Test func ownersThatNeverExistedOrWereReplacedDoNotKeepDependents() async throws {
        try await InProcessCluster.withControllers(controllers: [.garbageCollector]) { cluster in
            let configMaps = cluster.configMaps()
            let ghost: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "name": "ghost", "uid": "00000000-0000-0000-0000-000000000000"]
            _ = try await configMaps.create(.configMap("haunted", owners: [ghost]))
            // An owner by the right name but another UID is not the owner.
            _ = try await configMaps.create(.configMap("ghost"))
            let alive = try await configMaps.create(.configMap("alive"))
            _ = try await configMaps.create(.configMap("shared", owners: [ghost, alive.ownerReference()]))
            try await waitUntil("the orphan collected") { try await !InProcessCluster.exists("haunted", in: configMaps) }
            try await waitUntil("the dangling reference dropped") {
                try await configMaps.get("shared").ownerReferences.compactMap { $0["name"]?.stringValue } == ["alive"]
            }
        }
    }

    @Test func foregroundDeletionWaitsForBlockingDependents() async throws {
        try await InProcessCluster.withControllers(controllers: [.garbageCollector]) { cluster in
            let configMaps = cluster.configMaps()
            _ = try await Self.family(cluster, owner: "parent", dependents: ["child"], blocking: true)
            var held = try await configMaps.get("child")
            held.finalizers = ["example.com/hold"]
            _ = try await configMaps.update(held)

            try await configMaps.delete("parent", options: DeleteOptions(propagationPolicy: .foreground))
            try await waitUntil("the dependent being deleted") { try await configMaps.get("child").deletionTimestamp != nil }
            let parent = try await configMaps.get("parent")
            #expect(parent.finalizers == ["foregroundDeletion"])
            #expect(parent.deletionTimestamp != nil)

            var child = try await configMaps.get("child")
            child.finalizers = []
            _ = try await configMaps.update(child)
            try await waitUntil("the owner gone after its dependent") { try await !InProcessCluster.exists("parent", in: configMaps) }
        }
    }

    @Test func orphanDeletionKeepsDependents() async throws {
        try await InProcessCluster.withControllers(controllers: [.garbageCollector]) { cluster in
            let configMaps = cluster.configMaps()
            _ = try await Self.family(cluster, owner: "parent", dependents: ["child-a", "child-b"], blocking: true)
            try await configMaps.delete("parent", options: DeleteOptions(propagationPolicy: .orphan))
            try await waitUntil("the owner gone") { try await !InProcessCluster.exists("parent", in: configMaps) }
            for name in ["child-a", "child-b"] {
                let child = try await configMaps.get(name)
                #expect(child.ownerReferences.isEmpty)
                #expect(child.deletionTimestamp == nil)
            }
        }
    }
}
