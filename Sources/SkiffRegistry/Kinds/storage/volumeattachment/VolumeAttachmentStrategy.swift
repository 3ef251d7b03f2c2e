import SkiffAPI

/// VolumeAttachments (storage.k8s.io/v1, cluster-scoped): status kept on main-resource writes,
/// an immutable spec naming an attacher, a node and exactly one source.
struct VolumeAttachmentStrategy: StatusKeepingStrategy {
    var initialStatus: JSONValue? { ["attached": false] }
}
