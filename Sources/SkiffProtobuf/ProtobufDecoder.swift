#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SkiffAPI

/// Decodes messages into their JSON form, with the JSON shapes of apimachinery's special types.
///
/// Go structs encode every non-pointer field, so zero values arrive on the wire where the JSON
/// form (`omitempty`) would have nothing; unless `keepsZeroValues`, empty strings and `false` are
/// dropped to match. Numbers are kept, because pointer fields such as `replicas: 0` are
/// meaningful. Bytes from `ProtobufEncoder`, which writes only the members an object has, are
/// decoded with `keepsZeroValues` to give that object back.
struct ProtobufDecoder {
    private static let meta = "k8s.io.apimachinery.pkg.apis.meta.v1."

    /// Whether empty strings and `false` on the wire become members (they are dropped otherwise).
    var keepsZeroValues = false

    func decode(_ bytes: ArraySlice<UInt8>, message: ProtobufSchema.Message) throws(ProtobufError) -> JSONValue {
        if let special = try Self.decodeSpecial(bytes, name: message.name) { return special }
        var members: [String: JSONValue] = [:]
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let (number, type) = try reader.readTag()
            guard let field = message.fields[number] else {
                try reader.skip(type)
                continue
            }
            switch field.kind {
            case .map(let keyKind, let valueKind):
                let (key, value) = try decodeMapEntry(try reader.readLengthDelimited(), key: keyKind, value: valueKind)
                var map = members[field.jsonName]?.objectValue ?? [:]
                map[key] = value
                members[field.jsonName] = .object(map)
            default:
                if field.repeated {
                    var values = members[field.jsonName]?.arrayValue ?? []
                    if type == .lengthDelimited, field.kind.isPackable {
                        var packed = WireReader(try reader.readLengthDelimited())
                        while !packed.isAtEnd { values.append(try Self.decodeScalar(&packed, kind: field.kind, wireType: field.kind.wireType)) }
                    } else {
                        values.append(try decodeValue(&reader, kind: field.kind, wireType: type))
                    }
                    members[field.jsonName] = .array(values)
                } else {
                    let value = try decodeValue(&reader, kind: field.kind, wireType: type)
                    if field.inline, case .object(let inner) = value {
                        members.merge(inner) { _, new in new }
                    } else if keepsZeroValues || !Self.isOmittedZero(value) {
                        members[field.jsonName] = value
                    }
                }
            }
        }
        return .object(members)
    }

    private static func isOmittedZero(_ value: JSONValue) -> Bool {
        value == .string("") || value == .bool(false)
    }

    private func decodeValue(_ reader: inout WireReader, kind: ProtobufSchema.Kind, wireType: WireReader.WireType) throws(ProtobufError) -> JSONValue {
        if case .message(let name) = kind {
            guard let message = ProtobufSchema.shared.messages[name] else {
                _ = try reader.readLengthDelimited()
                return .null
            }
            return try decode(try reader.readLengthDelimited(), message: message)
        }
        return try Self.decodeScalar(&reader, kind: kind, wireType: wireType)
    }

    private static func decodeScalar(_ reader: inout WireReader, kind: ProtobufSchema.Kind, wireType: WireReader.WireType) throws(ProtobufError) -> JSONValue {
        switch kind {
        case .string: return .string(String(decoding: try reader.readLengthDelimited(), as: UTF8.self))
        case .bytes: return .string(Data(try reader.readLengthDelimited()).base64EncodedString())
        case .bool: return .bool(try reader.readVarint() != 0)
        case .int32: return .int(Int64(Int32(truncatingIfNeeded: try reader.readVarint())))
        case .int64: return .int(Int64(bitPattern: try reader.readVarint()))
        case .uint32, .uint64: return .int(Int64(bitPattern: try reader.readVarint()))
        case .double: return .double(Double(bitPattern: try reader.readFixed(8)))
        case .float: return .double(Double(Float(bitPattern: UInt32(try reader.readFixed(4)))))
        case .message, .map:
            try reader.skip(wireType)
            return .null
        }
    }

    private func decodeMapEntry(_ bytes: ArraySlice<UInt8>, key: ProtobufSchema.Kind, value: ProtobufSchema.Kind) throws(ProtobufError) -> (String, JSONValue) {
        var reader = WireReader(bytes)
        var keyText = ""
        var result: JSONValue = value == .string ? .string("") : .null
        while !reader.isAtEnd {
            let (number, type) = try reader.readTag()
            switch number {
            case 1:
                let decoded = try Self.decodeScalar(&reader, kind: key, wireType: type)
                keyText = decoded.stringValue ?? decoded.intValue.map(String.init) ?? ""
            case 2: result = try decodeValue(&reader, kind: value, wireType: type)
            default: try reader.skip(type)
            }
        }
        return (keyText, result)
    }

    /// apimachinery types whose JSON form is not an object of their fields.
    private static func decodeSpecial(_ bytes: ArraySlice<UInt8>, name: String) throws(ProtobufError) -> JSONValue? {
        switch name {
        case meta + "Time", meta + "MicroTime":
            let fields = try scalarFields(bytes)
            guard let seconds = fields[1] else { return .null }
            let time = Timestamp(seconds: Int64(bitPattern: seconds), nanoseconds: Int32(truncatingIfNeeded: fields[2] ?? 0))
            return .string(name.hasSuffix("MicroTime") ? time.rfc3339Micro : time.rfc3339)
        case meta + "Duration":
            return .string(GoDuration.format(nanoseconds: Int64(bitPattern: try scalarFields(bytes)[1] ?? 0)))
        case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            return .string(try stringField(bytes, 1))
        case "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
            var type: UInt64 = 0
            var intValue: Int64 = 0
            var stringValue = ""
            var reader = WireReader(bytes)
            while !reader.isAtEnd {
                let (number, wire) = try reader.readTag()
                switch number {
                case 1: type = try reader.readVarint()
                case 2: intValue = Int64(Int32(truncatingIfNeeded: try reader.readVarint()))
                case 3: stringValue = String(decoding: try reader.readLengthDelimited(), as: UTF8.self)
                default: try reader.skip(wire)
                }
            }
            return type == 1 ? .string(stringValue) : .int(intValue)
        case "k8s.io.apimachinery.pkg.runtime.RawExtension", meta + "FieldsV1":
            let raw = try bytesField(bytes, 1)
            if raw.isEmpty { return .null }
            do { return try JSONValue(parsing: raw) } catch { throw ProtobufError("embedded JSON is invalid: \(error)") }
        case meta + "Verbs", "k8s.io.api.authorization.v1.ExtraValue", "k8s.io.api.authentication.v1.ExtraValue",
             "k8s.io.api.certificates.v1.ExtraValue":
            var items: [JSONValue] = []
            var reader = WireReader(bytes)
            while !reader.isAtEnd {
                let (number, wire) = try reader.readTag()
                if number == 1 { items.append(.string(String(decoding: try reader.readLengthDelimited(), as: UTF8.self))) } else { try reader.skip(wire) }
            }
            return .array(items)
        default:
            return nil
        }
    }

    private static func scalarFields(_ bytes: ArraySlice<UInt8>) throws(ProtobufError) -> [Int: UInt64] {
        var fields: [Int: UInt64] = [:]
        var reader = WireReader(bytes)
        while !reader.isAtEnd {
            let (number, wire) = try reader.readTag()
            if wire == .varint { fields[number] = try reader.readVarint() } else { try reader.skip(wire) }
        }
        return fields
    }

    private static func bytesField(_ bytes: ArraySlice<UInt8>, _ field: Int) throws(ProtobufError) -> ArraySlice<UInt8> {
        var reader = WireReader(bytes)
        var result: ArraySlice<UInt8> = []
        while !reader.isAtEnd {
            let (number, wire) = try reader.readTag()
            if number == field, wire == .lengthDelimited { result = try reader.readLengthDelimited() } else { try reader.skip(wire) }
        }
        return result
    }

    private static func stringField(_ bytes: ArraySlice<UInt8>, _ field: Int) throws(ProtobufError) -> String {
        String(decoding: try bytesField(bytes, field), as: UTF8.self)
    }
}

extension ProtobufSchema.Kind {
    /// Numeric and boolean repeated fields may arrive packed.
    var isPackable: Bool {
        switch self {
        case .bool, .int32, .int64, .uint32, .uint64, .double, .float: return true
        default: return false
        }
    }

    var wireType: WireReader.WireType {
        switch self {
        case .double: return .fixed64
        case .float: return .fixed32
        case .bool, .int32, .int64, .uint32, .uint64: return .varint
        default: return .lengthDelimited
        }
    }
}
