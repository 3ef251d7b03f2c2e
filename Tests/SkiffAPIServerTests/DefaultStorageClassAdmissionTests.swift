import SkiffAPI
import SkiffAPIServer
import Testing

/// The DefaultStorageClass plugin: a claim without a class gets the default one; `""` and named classes stay.
struct DefaultStorageClassAdmissionTests {
    static func claim(_ name: String, storageClass: JSONValue? = nil) -> JSONValue {
        var spec: JSONValue = ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]]]
        spec["storageClassName"] = storageClass
        return ["apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": ["name": .string(name)], "spec": spec]
    }

    static func storageClass(_ name: String, isDefault: Bool) -> JSONValue {
        let annotations: JSONValue = isDefault ? ["storageclass.kubernetes.io/is-default-class": "true"] : [:]
        return ["apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": ["name": .string(name), "annotations": annotations], "provisioner": "example.com/x"]
    }

    @Test func claimsWithoutAClassGetTheDefault() async throws {
        try await APIServerHarness.with(.router, options: BuiltinAdmissionTests.options) { server in
            try await BuiltinAdmissionTests.namespace("team", on: server)
            let before = try await server.send(.POST, "/api/v1/namespaces/team/persistentvolumeclaims", json: Self.claim("early"))
            #expect(before.status == 201, "\(before.text)")
            #expect(try before.json()[path: "spec", "storageClassName"] == nil)

            for (name, isDefault) in [("standard", true), ("slow", false)] {
                let created = try await server.send(.POST, "/apis/storage.k8s.io/v1/storageclasses", json: Self.storageClass(name, isDefault: isDefault))
                #expect(created.status == 201, "\(created.text)")
            }
            let plain = try await server.send(.POST, "/api/v1/namespaces/team/persistentvolumeclaims", json: Self.claim("plain"))
            #expect(try plain.json()[path: "spec", "storageClassName"] == "standard")
            let none = try await server.send(.POST, "/api/v1/namespaces/team/persistentvolumeclaims", json: Self.claim("none", storageClass: ""))
            #expect(try none.json()[path: "spec", "storageClassName"] == "")
            let slow = try await server.send(.POST, "/api/v1/namespaces/team/persistentvolumeclaims", json: Self.claim("slow", storageClass: "slow"))
            #expect(try slow.json()[path: "spec", "storageClassName"] == "slow")
        }
    }
}
