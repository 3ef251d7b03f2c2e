import SkiffAPI
import SkiffClient
import Testing

struct OwnerReferenceTests {
    func widget(_ name: String, uid: String) -> TestWidget {
        TestWidget(metadata: ObjectMeta(name: name, namespace: "ns", uid: uid), spec: .init(size: 1))
    }

    @Test func controllerReferences() {
        let owner = widget("owner", uid: "u-1")
        var dependent = widget("dependent", uid: "u-2")
        #expect(!dependent.isControlled(by: owner))
        let reference = OwnerReference.controller(of: owner)
        #expect(reference == OwnerReference(
            apiVersion: "example.skiff.dev/v1", kind: "Widget", name: "owner", uid: "u-1", controller: true, blockOwnerDeletion: true))
        dependent.metadata?.ownerReferences = [
            OwnerReference(apiVersion: "v1", kind: "Other", name: "x", uid: "u-9"), reference,
        ]
        #expect(dependent.metadata?.controllerReference?.uid == "u-1")
        #expect(dependent.isControlled(by: owner))

        let unstructured: JSONValue = ["metadata": ["ownerReferences": [["uid": "u-9"], ["uid": "u-1", "controller": true]]]]
        #expect(unstructured.isControlled(by: "u-1"))
        #expect(!unstructured.isControlled(by: "u-9"))
    }

    @Test func finalizers() {
        var object = widget("w", uid: "u")
        let added = object.addFinalizer("example.dev/cleanup")
        let addedAgain = object.addFinalizer("example.dev/cleanup")
        #expect(added && !addedAgain)
        #expect(object.hasFinalizer("example.dev/cleanup"))
        let removed = object.removeFinalizer("example.dev/cleanup")
        let removedAgain = object.removeFinalizer("example.dev/cleanup")
        #expect(removed && !removedAgain)
        #expect(object.metadata?.finalizers == [])
        #expect(!object.isBeingDeleted)
    }
}
