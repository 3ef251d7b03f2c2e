/// How objects are written to storage (upstream's `--storage-media-type`). Either form is read
/// back whatever the setting: a value is protobuf when it starts with the `k8s\0` magic.
public enum StorageMediaType: String, Sendable, CaseIterable {
    /// JSON, as Skiff's SQLite store has always held.
    case json = "application/json"
    /// Kubernetes protobuf for the kinds that have a protobuf message (as kube-apiserver stores
    /// the built-in kinds in etcd), JSON for the others and for an object the protobuf form cannot
    /// carry exactly (see `KubernetesProtobuf.exactEncoding(of:)`).
    case protobuf = "application/vnd.kubernetes.protobuf"
}
