import SkiffAPI
import SkiffProtobuf
import Synchronization

/// An object as the watch cache holds it: decoded once, encoded once, with the labels and field
/// values selectors match on, so serving it to many readers costs no further work.
public final class CachedObject: Sendable {
    public let key: String
    /// The object, with `metadata.resourceVersion` set.
    public let object: JSONValue
    /// `object` encoded as JSON, its members in Go's struct order as kube-apiserver sends them.
    public let bytes: [UInt8]
    /// `object`'s protobuf message (no envelope), made on the first protobuf reader's request and
    /// shared by all later ones; nil inside when the kind has no protobuf form.
    private let protobufMessage = Mutex<[UInt8]??>(nil)
    /// The revision of the object's last write.
    public let revision: Int64
    public let labels: [String: String]
    /// `metadata.name`, `metadata.namespace` and the kind's selectable fields.
    public let fields: [String: String]

    public init(key: String, object: JSONValue, revision: Int64, strategy: any ResourceStrategy) {
        self.key = key
        self.object = object
        self.bytes = object.serialized(shapes: GoFieldOrder.shapes)
        self.revision = revision
        self.labels = object.labels
        var fields = strategy.fieldValues(of: object)
        fields["metadata.name"] = object.name ?? ""
        fields["metadata.namespace"] = object.namespace ?? ""
        self.fields = fields
    }

    public var namespace: String? { object.namespace }

    /// `object` as a Kubernetes protobuf message without the envelope (what a list holds per item),
    /// encoded once; nil for a kind without a protobuf form.
    public var protobuf: [UInt8]? {
        protobufMessage.withLock { cached in
            if let cached { return cached }
            let encoded = try? KubernetesProtobuf.encodeMessage(object)
            cached = .some(encoded)
            return encoded
        }
    }
}
