import SkiffAPI
import SkiffModels

extension StorageV1.StorageClass {
    /// The annotations that mark the default class (the GA one and its beta predecessor).
    public static let defaultClassAnnotations = ["storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class"]

    /// Whether the class is annotated as the cluster's default.
    public var isDefault: Bool {
        Self.defaultClassAnnotations.contains { metadata?.annotations?[$0] == "true" }
    }
}

extension Sequence<StorageV1.StorageClass> {
    /// The default class among these (upstream's `GetDefaultClass`): of the classes marked
    /// default, the newest; among equally new ones, the first by name. Nil when none is marked.
    public var defaultClass: StorageV1.StorageClass? {
        filter(\.isDefault).min { lhs, rhs in
            let (left, right) = (lhs.metadata?.creationTimestamp, rhs.metadata?.creationTimestamp)
            switch (left, right) {
            case let (left?, right?) where left != right: return left > right
            case (_?, nil): return true
            case (nil, _?): return false
            default: return lhs.name < rhs.name
            }
        }
    }
}
