#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SkiffAPI

/// Encodes the JSON form of a message into protobuf, the inverse of `ProtobufDecoder`.
enum ProtobufEncoder {
    private static let meta = "k8s.io.apimachinery.pkg.apis.meta.v1."

    static func encode(_ value: JSONValue, message: ProtobufSchema.Message) throws(ProtobufError) -> [UInt8] {
        if let special = try encodeSpecial(value, name: message.name) { return special }
        var writer = WireWriter()
        for field in message.fields.values.sorted(by: { $0.number < $1.number }) {
            if field.inline, case .message(let name) = field.kind, let inner = ProtobufSchema.shared.messages[name] {
                writer.writeBytes(field.number, try encode(value, message: inner))
                continue
            }
            guard let member = value[field.jsonName] else { continue }
            if member.isNull {
                // A zero `Time` is JSON's null and an empty message on the wire (Go writes both so).
                if case .message(let name) = field.kind, name == meta + "Time" || name == meta + "MicroTime" {
                    writer.writeBytes(field.number, [])
                }
                continue
            }
            switch field.kind {
            case .map(let keyKind, let valueKind):
                for (key, entryValue) in (member.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
                    var entry = WireWriter()
                    try write(.string(key), kind: keyKind, number: 1, to: &entry)
                    try write(entryValue, kind: valueKind, number: 2, to: &entry)
                    writer.writeBytes(field.number, entry.bytes)
                }
            default:
                if field.repeated {
                    for element in member.arrayValue ?? [] { try write(element, kind: field.kind, number: field.number, to: &writer) }
                } else {
                    try write(member, kind: field.kind, number: field.number, to: &writer)
                }
            }
        }
        return writer.bytes
    }

    private static func write(_ value: JSONValue, kind: ProtobufSchema.Kind, number: Int, to writer: inout WireWriter) throws(ProtobufError) {
        switch kind {
        case .string:
            writer.writeBytes(number, Array((value.stringValue ?? value.intValue.map(String.init) ?? "").utf8))
        case .bytes:
            guard let text = value.stringValue, let data = Data(base64Encoded: text) else { throw ProtobufError("bytes must be base64") }
            writer.writeBytes(number, Array(data))
        case .bool:
            writer.writeTag(number, .varint)
            writer.writeVarint(value.boolValue == true ? 1 : 0)
        case .int32, .int64, .uint32, .uint64:
            writer.writeTag(number, .varint)
            writer.writeVarint(UInt64(bitPattern: value.intValue ?? 0))
        case .double:
            writer.writeFixed(number, (value.intValue.map(Double.init) ?? doubleValue(value)).bitPattern, width: 8)
        case .float:
            writer.writeFixed(number, UInt64(Float(doubleValue(value)).bitPattern), width: 4)
        case .message(let name):
            guard let message = ProtobufSchema.shared.messages[name] else { return }
            writer.writeBytes(number, try encode(value, message: message))
        case .map:
            throw ProtobufError("nested maps are not supported")
        }
    }

    private static func doubleValue(_ value: JSONValue) -> Double {
        if case .double(let number) = value { return number }
        return value.intValue.map(Double.init) ?? 0
    }

    private static func encodeSpecial(_ value: JSONValue, name: String) throws(ProtobufError) -> [UInt8]? {
        var writer = WireWriter()
        switch name {
        case meta + "Time", meta + "MicroTime":
            guard let text = value.stringValue else { return [] }
            guard let time = Timestamp(rfc3339: text) else { throw ProtobufError("invalid time \(text)") }
            writer.writeTag(1, .varint)
            writer.writeVarint(UInt64(bitPattern: time.seconds))
            if time.nanoseconds != 0 {
                writer.writeTag(2, .varint)
                writer.writeVarint(UInt64(time.nanoseconds))
            }
        case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            writer.writeBytes(1, Array((value.stringValue ?? value.intValue.map(String.init) ?? "").utf8))
        case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
            writer.writeTag(1, .varint)
            if let text = value.stringValue {
                writer.writeVarint(1)
                writer.writeBytes(3, Array(text.utf8))
            } else {
                writer.writeVarint(0)
                writer.writeTag(2, .varint)
                writer.writeVarint(UInt64(bitPattern: value.intValue ?? 0))
            }
        case "k8s.io.apimachinery.pkg.runtime.RawExtension", meta + "FieldsV1":
            writer.writeBytes(1, value.serialized())
        case meta + "Verbs", "k8s.io.api.authorization.v1.ExtraValue", "k8s.io.api.authentication.v1.ExtraValue",
             "k8s.io.api.certificates.v1.ExtraValue":
            for item in value.arrayValue ?? [] { writer.writeBytes(1, Array((item.stringValue ?? "").utf8)) }
        default:
            return nil
        }
        return writer.bytes
    }
}
