#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SkiffAPI

/// The Kubernetes protobuf encoding (`application/vnd.kubernetes.protobuf`): the magic `k8s\0`,
/// then a `runtime.Unknown` envelope whose `raw` field holds the object's message. Converts to and
/// from the JSON form the server works on, driven by the generated schema.
public enum KubernetesProtobuf {
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]
    /// The media type of this encoding.
    public static let mediaType = "application/vnd.kubernetes.protobuf"

    /// Whether `bytes` start with the `k8s\0` magic of this encoding.
    public static func isEnveloped(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: magic)
    }

    /// Decodes an enveloped object into its JSON form (with `apiVersion` and `kind`). Empty
    /// strings and `false` are members only when `keepingZeroValues` (bytes `exactEncoding` made).
    public static func decode(_ body: [UInt8], keepingZeroValues: Bool = false) throws(ProtobufError) -> JSONValue {
        guard isEnveloped(body) else { throw ProtobufError("missing the k8s protobuf magic prefix") }
        var reader = WireReader(body[4...])
        var apiVersion = ""
        var kind = ""
        var raw: ArraySlice<UInt8> = []
        while !reader.isAtEnd {
            let (field, type) = try reader.readTag()
            switch (field, type) {
            case (1, .lengthDelimited):
                var typeMeta = WireReader(try reader.readLengthDelimited())
                while !typeMeta.isAtEnd {
                    let (inner, innerType) = try typeMeta.readTag()
                    guard innerType == .lengthDelimited else { try typeMeta.skip(innerType); continue }
                    let text = String(decoding: try typeMeta.readLengthDelimited(), as: UTF8.self)
                    if inner == 1 { apiVersion = text } else if inner == 2 { kind = text }
                }
            case (2, .lengthDelimited):
                raw = try reader.readLengthDelimited()
            default:
                try reader.skip(type)
            }
        }
        guard let message = ProtobufSchema.shared.message(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError("no protobuf schema for \(apiVersion), Kind=\(kind)")
        }
        var object = try ProtobufDecoder(keepsZeroValues: keepingZeroValues).decode(raw, message: message)
        object["apiVersion"] = .string(apiVersion)
        object["kind"] = .string(kind)
        return object
    }

    /// Encodes an object (with `apiVersion` and `kind`) into the enveloped protobuf form.
    public static func encode(_ object: JSONValue) throws(ProtobufError) -> [UInt8] {
        envelope(try encodeMessage(object), apiVersion: object["apiVersion"]?.stringValue ?? "", kind: object["kind"]?.stringValue ?? "")
    }

    /// The object's message alone, without the envelope: what a list holds per item.
    public static func encodeMessage(_ object: JSONValue) throws(ProtobufError) -> [UInt8] {
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let message = ProtobufSchema.shared.message(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError("no protobuf schema for \(apiVersion), Kind=\(kind)")
        }
        return try ProtobufEncoder.encode(object, message: message)
    }

    /// `message` in the envelope: the magic, then a `runtime.Unknown` with the type meta, the raw
    /// message, and the empty `contentEncoding` and `contentType` Go always writes.
    public static func envelope(_ message: [UInt8], apiVersion: String, kind: String) -> [UInt8] {
        var typeMeta = WireWriter()
        typeMeta.writeBytes(1, Array(apiVersion.utf8))
        typeMeta.writeBytes(2, Array(kind.utf8))
        var envelope = WireWriter()
        envelope.bytes = magic
        envelope.bytes.reserveCapacity(message.count + typeMeta.bytes.count + 16)
        envelope.writeBytes(1, typeMeta.bytes)
        envelope.writeBytes(2, message)
        envelope.writeBytes(3, [])
        envelope.writeBytes(4, [])
        return envelope.bytes
    }

    /// Whether the kind has a protobuf message (every built-in kind; no custom resource).
    public static func hasMessage(apiVersion: String, kind: String) -> Bool {
        ProtobufSchema.shared.message(apiVersion: apiVersion, kind: kind) != nil
    }

    /// A `…List` of `kind`: the list metadata (`ListMeta`'s JSON form) and the items' messages
    /// (from `encodeMessage`), enveloped; what a list answer in protobuf is.
    public static func encodeList(apiVersion: String, kind: String, metadata: JSONValue, items: [[UInt8]]) throws(ProtobufError) -> [UInt8] {
        guard let listMeta = ProtobufSchema.shared.messages[ProtobufSchema.listMetaName] else {
            throw ProtobufError("no protobuf schema for ListMeta")
        }
        var list = WireWriter()
        list.bytes.reserveCapacity(items.reduce(64) { $0 + $1.count + 6 })
        list.writeBytes(1, try ProtobufEncoder.encode(metadata, message: listMeta))
        for item in items { list.writeBytes(2, item) }
        return envelope(list.bytes, apiVersion: apiVersion, kind: kind)
    }

    /// The enveloped form of `object` if it carries the object exactly, that is if decoding it
    /// (keeping zero values) gives `object` back; nil for a kind without a protobuf message and for
    /// an object the wire form cannot hold (an empty list or map, a member the schema lacks). What
    /// storage writes, so that no member is ever lost to the encoding.
    public static func exactEncoding(of object: JSONValue) -> [UInt8]? {
        guard let bytes = try? encode(object), let decoded = try? decode(bytes, keepingZeroValues: true), decoded == object else {
            return nil
        }
        return bytes
    }
}
