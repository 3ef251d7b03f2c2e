import SkiffAPI

/// gnostic's `Schema`: the definitions and body schemas of a Swagger document.
extension GnosticLayout {
    static let schema: GnosticLayout = GnosticLayout(name: "Schema", fields: [
        "$ref": .string(1), "format": .string(2), "title": .string(3), "description": .string(4), "default": .any(5),
        "multipleOf": .double(6), "maximum": .double(7), "exclusiveMaximum": .bool(8), "minimum": .double(9),
        "exclusiveMinimum": .bool(10), "maxLength": .int64(11), "minLength": .int64(12), "pattern": .string(13),
        "maxItems": .int64(14), "minItems": .int64(15), "uniqueItems": .bool(16), "maxProperties": .int64(17),
        "minProperties": .int64(18), "required": .strings(19), "enum": .anys(20), "additionalProperties": .message(21, additionalProperties),
        "type": .message(22, typeItem), "items": .message(23, itemsItem), "allOf": .messages(24, encodeSchema),
        "properties": .message(25, namedMap("Properties", field: 1, value: encodeSchema)), "discriminator": .string(26),
        "readOnly": .bool(27), "externalDocs": .message(29, externalDocs.encode), "example": .any(30),
    ], extensions: 31)

    /// Refers to `schema` lazily, from inside its own fields.
    static func encodeSchema(_ value: JSONValue) throws(ProtobufError) -> [UInt8] {
        try schema.encode(value)
    }

    /// `AdditionalPropertiesItem`: oneof a `Schema` (1) or a `bool` (2, written even when false).
    static let additionalProperties: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        if case .bool(let allowed) = value {
            writer.writeTag(2, .varint)
            writer.writeVarint(allowed ? 1 : 0)
        } else {
            writer.writeBytes(1, try schema.encode(value))
        }
        return writer.bytes
    }

    /// `TypeItem` { repeated string value = 1 }: one type or a list of them.
    static let typeItem: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        try Field.strings(1).write(value.arrayValue.map(JSONValue.array) ?? [value], in: "TypeItem", to: &writer)
        return writer.bytes
    }

    /// `ItemsItem` { repeated Schema schema = 1 }: one schema or a list of them.
    static let itemsItem: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        try Field.messages(1, schema.encode).write(value.arrayValue.map(JSONValue.array) ?? [value], in: "ItemsItem", to: &writer)
        return writer.bytes
    }
}
