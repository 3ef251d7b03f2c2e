import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Pods' generic ephemeral volumes get their claims, owned by the pod; a claim of that name the
/// pod does not own is reported on the pod.
struct EphemeralVolumeControllerTests {
    static func pod(_ name: String, volume: String = "scratch") -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
            "spec": [
                "containers": [["name": "app", "image": "nginx", "volumeMounts": [["name": .string(volume), "mountPath": "/scratch"]]]],
                "volumes": [[
                    "name": .string(volume),
                    "ephemeral": ["volumeClaimTemplate": [
                        "metadata": ["labels": ["type": "scratch"], "annotations": ["note": "kept"]],
                        "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
                    ]],
                ]],
            ],
        ]
    }

    @Test func createsTheClaimOwnedByThePodAndAgainWhenDeleted() async throws {
        try await InProcessCluster.withControllers(controllers: [.ephemeralVolume]) { cluster in
            let pod = try await cluster.pods().create(Self.pod("web"))
            let claims = cluster.persistentVolumeClaims()
            try await waitUntil("the claim created") { try await InProcessCluster.exists("web-scratch", in: claims) }
            let claim = try await claims.get("web-scratch")
            #expect(claim.labels == ["type": "scratch"])
            #expect(claim.annotations["note"] == "kept")
            #expect(claim[path: "spec", "resources", "requests", "storage"] == "1Gi")
            let owner = try #require(claim.ownerReferences.first)
            #expect(owner["kind"] == "Pod" && owner["name"] == "web" && owner["uid"] == .string(pod.uid ?? ""))
            #expect(owner["controller"] == true && owner["blockOwnerDeletion"] == true)

            try await claims.delete("web-scratch")
            try await waitUntil("the claim made again") {
                (try? await claims.get("web-scratch")).map { $0.uid != claim.uid } ?? false
            }
        }
    }

    @Test func aClaimThePodDoesNotOwnIsAConflict() async throws {
        try await InProcessCluster.withControllers(controllers: [.ephemeralVolume]) { cluster in
            _ = try await cluster.persistentVolumeClaims().create([
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": "web-scratch"],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]],
            ])
            _ = try await cluster.pods().create(Self.pod("web"))
            try await waitUntil("the conflict reported") {
                try await cluster.events().list().items.contains { event in
                    event[path: "involvedObject", "name"] == "web" && event["reason"] == "FailedBinding"
                        && event["message"] == "ephemeral volume scratch: PVC default/web-scratch was not created for pod default/web (pod is not owner)"
                }
            }
            #expect(try await cluster.persistentVolumeClaims().get("web-scratch").ownerReferences.isEmpty)
        }
    }
}
