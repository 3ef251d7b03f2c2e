import SkiffAPI
import SkiffRegistry
import Testing

/// The CRD strategy: stored versions, names, and the deletion hold.
struct CustomResourceDefinitionStrategyTests {
    static func crd(plural: String = "gadgets", kind: String = "Gadget", version: String = "v1") -> JSONValue {
        [
            "metadata": ["name": .string("\(plural).example.com")],
            "spec": ["group": "example.com", "scope": "Namespaced", "names": ["plural": .string(plural), "kind": .string(kind)],
                     "versions": [["name": .string(version), "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]]]],
        ]
    }

    @Test func badNamesAreRefused() async throws {
        try await withRegistry { registry in
            let crds = try registry.store("customresourcedefinitions", group: "apiextensions.k8s.io")
            let error = await apiError { _ = try await crds.create(namespace: nil, object: Self.crd(plural: "gad_gets", kind: "Gad get", version: "V1")) }
            let fields = error?.status[path: "details", "causes"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(fields.contains("spec.names.plural"))
            #expect(fields.contains("spec.names.kind"))
            #expect(fields.contains("spec.versions[0].name"))
        }
    }

    @Test func aDeletedCRDIsHeldByTheCleanupFinalizer() async throws {
        try await withRegistry { registry in
            let crds = try registry.store("customresourcedefinitions", group: "apiextensions.k8s.io")
            let created = try await crds.create(namespace: nil, object: Self.crd())
            #expect(created[path: "status", "storedVersions"] == ["v1"])
            guard case .pending(let held) = try await crds.delete(namespace: nil, name: "gadgets.example.com") else {
                Issue.record("the CRD was deleted at once")
                return
            }
            #expect(held.finalizers == ["customresourcecleanup.apiextensions.k8s.io"])
            #expect(held[path: "status", "conditions"]?.arrayValue?.first?["reason"] == "InstanceDeletionPending")
            _ = try await crds.guaranteedUpdate(namespace: nil, name: "gadgets.example.com", precondition: nil, options: WriteOptions()) { current in
                var updated = current
                updated.finalizers = []
                return updated
            }
            let gone = await apiError { _ = try await crds.get(namespace: nil, name: "gadgets.example.com") }
            #expect(gone?.code == 404)
        }
    }
}
