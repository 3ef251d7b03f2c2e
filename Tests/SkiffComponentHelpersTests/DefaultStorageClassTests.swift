import SkiffAPI
import SkiffComponentHelpers
import SkiffModels
import Testing

/// Upstream's `GetDefaultClass`: of the classes marked default (GA or beta annotation), the
/// newest; among equally new ones, the first by name.
struct DefaultStorageClassTests {
    static func storageClass(_ name: String, created: Int64, annotation: String? = "storageclass.kubernetes.io/is-default-class") -> StorageV1.StorageClass {
        StorageV1.StorageClass(
            metadata: ObjectMeta(name: name, creationTimestamp: Timestamp(seconds: created), annotations: annotation.map { [$0: "true"] }),
            provisioner: "example.com/disks")
    }

    @Test func theNewestMarkedClassThenTheFirstByName() {
        let plain = Self.storageClass("plain", created: 300, annotation: nil)
        let older = Self.storageClass("older", created: 100)
        let beta = Self.storageClass("beta", created: 200, annotation: "storageclass.beta.kubernetes.io/is-default-class")
        #expect([plain].defaultClass == nil)
        #expect([plain, older].defaultClass?.name == "older")
        #expect([older, beta, plain].defaultClass?.name == "beta")
        let twin = Self.storageClass("alpha", created: 200)
        #expect([beta, twin].defaultClass?.name == "alpha")
        #expect([twin, beta].defaultClass?.name == "alpha")
    }
}
