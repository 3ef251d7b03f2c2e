import SkiffAPI

/// How the members of one OpenAPI v2 object become the fields of a gnostic `openapi.v2` message:
/// a table from member name to field number and kind, written in field-number order with proto3's
/// omission of zero scalars, as Go's marshaller writes them.
struct GnosticLayout: Sendable {
    /// Encodes one JSON value as the bytes of a message.
    typealias Encode = @Sendable (JSONValue) throws(ProtobufError) -> [UInt8]

    /// The field one member becomes.
    enum Field: Sendable {
        case string(Int), bool(Int), int64(Int), double(Int)
        /// `repeated string`.
        case strings(Int)
        /// An `Any` holding the value's text.
        case any(Int)
        /// `repeated Any`, one per array element.
        case anys(Int)
        case message(Int, Encode)
        /// A repeated message, one per array element.
        case messages(Int, Encode)
    }

    let name: String
    let fields: [String: Field]
    /// The number of the message's `repeated NamedAny vendor_extension`, if it has one.
    var extensions: Int? = nil

    func encode(_ value: JSONValue) throws(ProtobufError) -> [UInt8] {
        guard let members = value.objectValue else { throw ProtobufError("\(name) must be an object") }
        var known: [(number: Int, field: Field, value: JSONValue)] = []
        var vendor: [(key: String, value: JSONValue)] = []
        for (key, member) in members {
            if let field = fields[key] {
                known.append((field.number, field, member))
            } else if key.hasPrefix("x-"), extensions != nil {
                vendor.append((key, member))
            } else {
                throw ProtobufError("\(name) has no field for \"\(key)\"")
            }
        }
        var writer = WireWriter()
        for entry in known.sorted(by: { $0.number < $1.number }) {
            try entry.field.write(entry.value, in: name, to: &writer)
        }
        if let extensions {
            for entry in vendor.sorted(by: { $0.key < $1.key }) { writer.writeBytes(extensions, Self.namedAny(entry.key, entry.value)) }
        }
        return writer.bytes
    }

    /// A JSON object of named values (`definitions`, `properties`, `paths`) as gnostic's
    /// `repeated Named…` pairs (`name` = 1, `value` = 2) in `field`, by name; in messages that
    /// have them, `x-` members go to the vendor extensions in `extensions`.
    static func namedMap(_ name: String, field: Int, extensions: Int? = nil, value: @escaping Encode) -> Encode {
        { map throws(ProtobufError) in
            guard let members = map.objectValue else { throw ProtobufError("\(name) must be an object") }
            var named = WireWriter()
            var vendor = WireWriter()
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                if let extensions, key.hasPrefix("x-") {
                    vendor.writeBytes(extensions, namedAny(key, member))
                } else {
                    var pair = WireWriter()
                    pair.writeBytes(1, Array(key.utf8))
                    pair.writeBytes(2, try value(member))
                    named.writeBytes(field, pair.bytes)
                }
            }
            return field < (extensions ?? .max) ? named.bytes + vendor.bytes : vendor.bytes + named.bytes
        }
    }

    /// `NamedAny` { name = 1, value = 2 }.
    static func namedAny(_ name: String, _ value: JSONValue) -> [UInt8] {
        var pair = WireWriter()
        pair.writeBytes(1, Array(name.utf8))
        pair.writeBytes(2, any(value))
        return pair.bytes
    }

    /// `Any` { yaml = 2 }: the value's JSON text, which is YAML too (gnostic writes the YAML it
    /// parsed; readers unmarshal either alike).
    static func any(_ value: JSONValue) -> [UInt8] {
        var message = WireWriter()
        message.writeBytes(2, value.serialized() + [UInt8(ascii: "\n")])
        return message.bytes
    }
}

extension GnosticLayout.Field {
    var number: Int {
        switch self {
        case .string(let number), .bool(let number), .int64(let number), .double(let number), .strings(let number),
             .any(let number), .anys(let number), .message(let number, _), .messages(let number, _):
            number
        }
    }

    func write(_ value: JSONValue, in message: String, to writer: inout WireWriter) throws(ProtobufError) {
        switch self {
        case .string(let number):
            guard let text = value.stringValue else { throw ProtobufError("\(message): expected a string") }
            if !text.isEmpty { writer.writeBytes(number, Array(text.utf8)) }
        case .bool(let number):
            guard case .bool(let flag) = value else { throw ProtobufError("\(message): expected a boolean") }
            if flag {
                writer.writeTag(number, .varint)
                writer.writeVarint(1)
            }
        case .int64(let number):
            guard let integer = value.intValue else { throw ProtobufError("\(message): expected an integer") }
            if integer != 0 {
                writer.writeTag(number, .varint)
                writer.writeVarint(UInt64(bitPattern: integer))
            }
        case .double(let number):
            let double: Double
            switch value {
            case .int(let integer): double = Double(integer)
            case .double(let floating): double = floating
            default: throw ProtobufError("\(message): expected a number")
            }
            if double != 0 { writer.writeFixed(number, double.bitPattern, width: 8) }
        case .strings(let number):
            for element in try elements(of: value, in: message) {
                guard let text = element.stringValue else { throw ProtobufError("\(message): expected strings") }
                writer.writeBytes(number, Array(text.utf8))
            }
        case .any(let number):
            writer.writeBytes(number, GnosticLayout.any(value))
        case .anys(let number):
            for element in try elements(of: value, in: message) { writer.writeBytes(number, GnosticLayout.any(element)) }
        case .message(let number, let encode):
            writer.writeBytes(number, try encode(value))
        case .messages(let number, let encode):
            for element in try elements(of: value, in: message) { writer.writeBytes(number, try encode(element)) }
        }
    }

    private func elements(of value: JSONValue, in message: String) throws(ProtobufError) -> [JSONValue] {
        guard let elements = value.arrayValue else { throw ProtobufError("\(message): expected an array") }
        return elements
    }
}
