import Foundation
import SkiffAPI
import SkiffProtobuf

/// How a client turns objects into request bodies and response bodies into objects: unstructured
/// (`JSONValue`, through the project's parser and serializer) or typed (`Codable` models).
public struct ObjectCodec<Object: Sendable>: Sendable {
    let decode: @Sendable ([UInt8]) throws -> Object
    let decodeValue: @Sendable (JSONValue) throws -> Object
    let decodeList: @Sendable ([UInt8]) throws -> ObjectList<Object>
    let encode: @Sendable (Object) throws -> [UInt8]
    /// The object's name and namespace (the path of an update).
    let name: @Sendable (Object) -> String
    let namespace: @Sendable (Object) -> String
    /// The kind has a Kubernetes protobuf form the client may ask for (typed built-in kinds).
    var acceptsProtobuf = false
}

extension ObjectCodec where Object == JSONValue {
    /// Objects as JSON trees.
    public static var unstructured: ObjectCodec<JSONValue> {
        ObjectCodec(
            decode: { bytes in try JSONValue(parsing: bytes) },
            decodeValue: { $0 },
            decodeList: { bytes in
                let list = try JSONValue(parsing: bytes)
                return ObjectList(metadata: ListMeta(listMetadata: list["metadata"] ?? .emptyObject), items: list["items"]?.arrayValue ?? [])
            },
            encode: { $0.serialized() },
            name: { $0.name ?? "" },
            namespace: { $0.namespace ?? "" })
    }
}

extension ObjectCodec where Object: KubernetesObject {
    /// Typed objects through `JSONDecoder`/`JSONEncoder`; `apiVersion` and `kind` are set on
    /// the way out, as the server requires them.
    public static var typed: ObjectCodec<Object> {
        ObjectCodec(
            decode: { bytes in try JSONDecoder().decode(Object.self, from: Data(bytes)) },
            decodeValue: { value in try JSONDecoder().decode(Object.self, from: Data(value.serialized())) },
            decodeList: { bytes in
                let list = try JSONDecoder().decode(TypedList<Object>.self, from: Data(bytes))
                return ObjectList(metadata: list.metadata ?? ListMeta(), items: list.items ?? [])
            },
            encode: { object in
                var value = try JSONValue(parsing: Array(JSONEncoder().encode(object)))
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

/// A list response of typed items.
private struct TypedList<Item: Decodable>: Decodable {
    var metadata: ListMeta?
    var items: [Item]?
}
