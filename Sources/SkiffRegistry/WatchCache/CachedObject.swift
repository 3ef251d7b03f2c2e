import SkiffAPI
import SkiffProtobuf
import SkiffStorage
import Synchronization

/// An object as the watch cache holds it: one compact copy, its JSON encoding (members in Go's
/// struct order, as kube-apiserver sends them), with the labels and field values selectors match
/// on, so serving it to many readers costs no further work. The decoded form is rebuilt from the
/// bytes when a reader needs it (`decoded`): a decoded tree costs several times the bytes in memory,
/// and lists and watches send the bytes as they are.
public final class CachedObject: Sendable {
    public let key: String
    /// The object encoded as JSON, with `metadata.resourceVersion` set.
    public let bytes: [UInt8]
    /// The object's protobuf message (no envelope), made on the first protobuf reader's request and
    /// shared by all later ones; nil inside when the kind has no protobuf form.
    private let protobufMessage = Mutex<[UInt8]??>(nil)
    /// The revision of the object's last write.
    public let revision: Int64
    public let labels: [String: String]
    /// `metadata.name`, `metadata.namespace` and the kind's selectable fields.
    public let fields: [String: String]

    public init(key: String, object: JSONValue, revision: Int64, strategy: any ResourceStrategy) {
        self.key = key
        self.bytes = object.serialized(shapes: GoFieldOrder.shapes).compacted()
        self.revision = revision
        self.labels = object.labels
        var fields = strategy.fieldValues(of: object)
        fields["metadata.name"] = object.name ?? ""
        fields["metadata.namespace"] = object.namespace ?? ""
        self.fields = fields
    }

    /// The object, decoded from `bytes` on each use: keep the result rather than asking again.
    public var decoded: JSONValue {
        // The bytes are the serializer's own output: they always parse.
        (try? JSONValue(parsing: bytes)) ?? .null
    }

    /// `metadata.namespace`; nil for cluster-scoped objects.
    public var namespace: String? {
        guard let namespace = fields["metadata.namespace"], !namespace.isEmpty else { return nil }
        return namespace
    }

    /// `metadata.name`.
    public var name: String { fields["metadata.name"] ?? "" }

    /// The object as a Kubernetes protobuf message without the envelope (what a list holds per item),
    /// encoded once; nil for a kind without a protobuf form.
    public var protobuf: [UInt8]? {
        protobufMessage.withLock { cached in
            if let cached { return cached }
            let encoded = try? KubernetesProtobuf.encodeMessage(decoded)
            cached = .some(encoded)
            return encoded
        }
    }
}
