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
        let apiVersion = object["apiVersion"]?.stringValue ?? ""
        let kind = object["kind"]?.stringValue ?? ""
        guard let message = ProtobufSchema.shared.message(apiVersion: apiVersion, kind: kind) else {
            throw ProtobufError("no protobuf schema for \(apiVersion), Kind=\(kind)")
        }
        var typeMeta = WireWriter()
        typeMeta.writeBytes(1, Array(apiVersion.utf8))
        typeMeta.writeBytes(2, Array(kind.utf8))
        var envelope = WireWriter()
        envelope.writeBytes(1, typeMeta.bytes)
        envelope.writeBytes(2, try ProtobufEncoder.encode(object, message: message))
        return magic + envelope.bytes
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
