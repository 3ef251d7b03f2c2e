import Foundation
import SkiffAPI
import SkiffProtobuf

/// How a client turns objects into request bodies and response bodies into objects: unstructured
/// (`JSONValue`, through the project's parser and serializer) or typed (`Codable` models).
public struct ObjectCodec<Object: Sendable>: Sendable {
    /// Each decoder takes whether to keep `metadata.managedFields` (`decodesManagedFields`).
    private let decodeBytes: @Sendable ([UInt8], Bool) throws -> Object
    private let decodeTree: @Sendable (JSONValue, Bool) throws -> Object
    private let decodeListBytes: @Sendable ([UInt8], Bool) throws -> ObjectList<Object>
    let encode: @Sendable (Object) throws -> [UInt8]
    /// The object's name and namespace (the path of an update).
    let name: @Sendable (Object) -> String
    let namespace: @Sendable (Object) -> String
    /// The kind has a Kubernetes protobuf form the client may ask for (typed built-in kinds).
    var acceptsProtobuf = false
    /// Whether decoded objects keep `metadata.managedFields`; informers of components that never
    /// read them leave them out (client-go's `TransformStripManagedFields`, here without
    /// decoding them first).
    var decodesManagedFields = true

    func decode(_ bytes: [UInt8]) throws -> Object { try decodeBytes(bytes, decodesManagedFields) }
    func decodeValue(_ value: JSONValue) throws -> Object { try decodeTree(value, decodesManagedFields) }
    func decodeList(_ bytes: [UInt8]) throws -> ObjectList<Object> { try decodeListBytes(bytes, decodesManagedFields) }
}

extension ObjectCodec where Object == JSONValue {
    /// Objects as JSON trees.
    public static var unstructured: ObjectCodec<JSONValue> {
        ObjectCodec(
            decodeBytes: { bytes, managedFields in try JSONValue(parsing: bytes).keeping(managedFields: managedFields) },
            decodeTree: { value, managedFields in value.keeping(managedFields: managedFields) },
            decodeListBytes: { bytes, managedFields in
                let list = try JSONValue(parsing: bytes)
                let items = (list["items"]?.arrayValue ?? []).map { $0.keeping(managedFields: managedFields) }
                return ObjectList(metadata: ListMeta(listMetadata: list["metadata"] ?? .emptyObject), items: items)
            },
            encode: { $0.serialized() },
            name: { $0.name ?? "" },
            namespace: { $0.namespace ?? "" })
    }
}

extension ObjectCodec where Object: KubernetesObject {
    /// Typed objects; `apiVersion` and `kind` are set on the way out, as the server requires them.
    /// Models that are `JSONTreeDecodable` and `JSONTreeEncodable` (the generated ones) go through
    /// the project's JSON parser and serializer; others (a custom resource's own `Codable` type)
    /// through `JSONDecoder` and `JSONEncoder`.
    public static var typed: ObjectCodec<Object> {
        let decodeTree: @Sendable (JSONValue, Bool) throws -> Object
        let decodeBytes: @Sendable ([UInt8], Bool) throws -> Object
        let decodeListBytes: @Sendable ([UInt8], Bool) throws -> ObjectList<Object>
        if Object.self is any JSONTreeDecodable.Type {
            decodeTree = { value, managedFields in
                // A metatype is not `Sendable`: the closure casts again rather than capture it.
                try (Object.self as! any JSONTreeDecodable.Type).init(jsonTree: value.keeping(managedFields: managedFields)) as! Object
            }
            decodeBytes = { bytes, managedFields in try decodeTree(try JSONValue(parsing: bytes), managedFields) }
            decodeListBytes = { bytes, managedFields in
                let list = try JSONValue(parsing: bytes)
                let items = try (list["items"]?.arrayValue ?? []).map { try decodeTree($0, managedFields) }
                return ObjectList(metadata: ListMeta(listMetadata: list["metadata"] ?? .emptyObject), items: items)
            }
        } else {
            decodeTree = { value, managedFields in
                try JSONDecoder(managedFields: managedFields).decode(Object.self, from: Data(value.serialized()))
            }
            decodeBytes = { bytes, managedFields in try JSONDecoder(managedFields: managedFields).decode(Object.self, from: Data(bytes)) }
            decodeListBytes = { bytes, managedFields in
                let list = try JSONDecoder(managedFields: managedFields).decode(TypedList<Object>.self, from: Data(bytes))
                return ObjectList(metadata: list.metadata ?? ListMeta(), items: list.items ?? [])
            }
        }
        return ObjectCodec(
            decodeBytes: decodeBytes,
            decodeTree: decodeTree,
            decodeListBytes: decodeListBytes,
            encode: { object in
                var value = try (object as? any JSONTreeEncodable)?.jsonTree ?? JSONValue(parsing: Array(JSONEncoder().encode(object)))
                let kind = Object.groupVersionKind
                if value["apiVersion"] == nil { value["apiVersion"] = .string(kind.groupVersion.apiVersion) }
                if value["kind"] == nil { value["kind"] = .string(kind.kind) }
                return value.serialized()
            },
            name: { $0.name },
            namespace: { $0.namespace },
            acceptsProtobuf: KubernetesProtobuf.hasMessage(apiVersion: Object.groupVersionKind.groupVersion.apiVersion,
                                                           kind: Object.groupVersionKind.kind))
    }
}

extension JSONDecoder {
    /// A decoder that leaves `metadata.managedFields` undecoded unless `managedFields`.
    fileprivate convenience init(managedFields: Bool) {
        self.init()
        if !managedFields { userInfo[.decodesManagedFields] = false }
    }
}

extension JSONValue {
    /// The object, without `metadata.managedFields` unless `managedFields`.
    fileprivate func keeping(managedFields: Bool) -> JSONValue {
        guard !managedFields, self[path: "metadata", "managedFields"] != nil else { return self }
        var object = self
        object[path: "metadata", "managedFields"] = nil
        return object
    }
}

/// A list response of typed items.
private struct TypedList<Item: Decodable>: Decodable {
    var metadata: ListMeta?
    var items: [Item]?
}
