import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

@testable import SkiffScheduler

/// The VolumeBinding plugin against a real server: unbound immediate claims, selected nodes for
/// delayed claims, and local volumes' node affinity.
struct VolumeBindingTests {
    static func claim(_ name: String, storageClass: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": .string(name)],
            "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]], "storageClassName": .string(storageClass)],
        ]
    }

    static func storageClass(_ name: String, provisioner: String) -> JSONValue {
        ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": ["name": .string(name)], "provisioner": .string(provisioner), "volumeBindingMode": "WaitForFirstConsumer"]
    }

    static func localVolume(_ name: String, node: String, storageClass: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "PersistentVolume", "metadata": ["name": .string(name)],
            "spec": [
                "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"], "storageClassName": .string(storageClass),
                "local": ["path": "/mnt/disk"],
                "nodeAffinity": ["required": ["nodeSelectorTerms": [["matchExpressions": [["key": "kubernetes.io/hostname", "operator": "In", "values": [.string(node)]]]]]]],
            ],
        ]
    }

    static func user(_ name: String, claim: String) -> JSONValue {
        Fixtures.pod(name, spec: ["volumes": [["name": "data", "persistentVolumeClaim": ["claimName": .string(claim)]]]])
    }

    func resource(_ cluster: InProcessCluster, _ resource: String, group: String = "", namespaced: Bool = false) -> ResourceClient<JSONValue> {
        let objects = cluster.client.dynamic.resource(GroupVersionResource(group: group, version: "v1", resource: resource))
        return namespaced ? objects.namespace("default") : objects
    }

    @Test func unboundImmediateClaimLeavesThePodUnschedulable() async throws {
        try await InProcessCluster.withScheduler { cluster in
            try await cluster.createNode(Fixtures.node("a"))
            _ = try await resource(cluster, "persistentvolumeclaims", namespaced: true).create(Self.claim("now", storageClass: "missing"))
            _ = try await cluster.pods.create(Self.user("waiting", claim: "now"))
            let expected = "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
                + "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.."
            try await waitUntil("the PodScheduled=False condition") {
                let conditions = try await cluster.pods.get("waiting")[path: "status", "conditions"]?.arrayValue ?? []
                return conditions.contains { $0["type"]?.stringValue == "PodScheduled" && $0["message"]?.stringValue == expected }
            }
        }
    }

    @Test func delayedClaimsGetTheChosenNodeAndLocalVolumesChooseIt() async throws {
        try await InProcessCluster.withScheduler { cluster in
            try await cluster.createNode(Fixtures.node("a", labels: ["kubernetes.io/hostname": "a"]))
            try await cluster.createNode(Fixtures.node("b", labels: ["kubernetes.io/hostname": "b"]))
            let classes = resource(cluster, "storageclasses", group: "storage.k8s.io")
            _ = try await classes.create(Self.storageClass("dynamic", provisioner: "example.com/disks"))
            _ = try await classes.create(Self.storageClass("local", provisioner: "kubernetes.io/no-provisioner"))
            let claims = resource(cluster, "persistentvolumeclaims", namespaced: true)
            let volumes = resource(cluster, "persistentvolumes")

            _ = try await claims.create(Self.claim("made", storageClass: "dynamic"))
            _ = try await cluster.pods.create(Self.user("dynamic-user", claim: "made"))
            let node = try await cluster.nodeOf("dynamic-user")
            #expect(try await claims.get("made").annotations["volume.kubernetes.io/selected-node"] == node)

            // An available local volume on b, for a claim no provisioner serves.
            var volume = try await volumes.create(Self.localVolume("disk-b", node: "b", storageClass: "local"))
            volume["status"] = ["phase": "Available"]
            _ = try await volumes.updateStatus(volume)
            _ = try await claims.create(Self.claim("local", storageClass: "local"))
            _ = try await cluster.pods.create(Self.user("local-user", claim: "local"))
            #expect(try await cluster.nodeOf("local-user") == "b")
            #expect(try await volumes.get("disk-b")[path: "spec", "claimRef", "name"] == "local")
        }
    }
}
