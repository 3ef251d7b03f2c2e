import SkiffAPI

/// A small hand-written typed kind, standing in for the generated models.
struct TestWidget: KubernetesObject {
    static let groupVersionKind = GroupVersionKind(group: "example.skiff.dev", version: "v1", kind: "Widget")
    static let resource = "widgets"
    static let isNamespaced = true

    struct Spec: Codable, Sendable, Equatable {
        var size: Int
    }

    var apiVersion: String? = "example.skiff.dev/v1"
    var kind: String? = "Widget"
    var metadata: ObjectMeta?
    var spec: Spec?
}
