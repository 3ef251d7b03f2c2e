import SkiffAPI

/// A hand-written typed core/v1 ConfigMap, standing in for the generated model.
struct TestConfigMap: KubernetesObject {
    static let groupVersionKind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let resource = "configmaps"
    static let isNamespaced = true

    var apiVersion: String? = "v1"
    var kind: String? = "ConfigMap"
    var metadata: ObjectMeta?
    var data: [String: String]?

    init(namespace: String, name: String, data: [String: String]) {
        metadata = ObjectMeta(name: name, namespace: namespace)
        self.data = data
    }
}
