/// The decoder `OpenAPISchemaInference` walks a type with: every container records into a
/// `SchemaRecorder`, every value decoded is a placeholder (see `OpenAPISchemaInference.infer`).
struct SchemaInferringDecoder: Decoder {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        recorder.isObject = true
        return KeyedDecodingContainer(KeyedSchemaContainer<Key>(recorder: recorder, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        UnkeyedSchemaContainer(recorder: recorder, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueSchemaContainer(recorder: recorder, codingPath: codingPath)
    }
}

/// Properties: each decoded key becomes a property; `decode` marks it required, `decodeIfPresent`
/// does not. Asking for `allKeys` is what dictionaries do: the value becomes a map.
struct KeyedSchemaContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let recorder: SchemaRecorder
    var codingPath: [any CodingKey]

    /// One key stands for all of a map's keys.
    var allKeys: [Key] {
        recorder.isMap = true
        return Key(stringValue: "additionalProperties").map { [$0] } ?? []
    }

    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { false }

    private func value<T: Decodable>(_ type: T.Type, _ key: Key, required: Bool) throws -> T {
        let (value, schema) = try OpenAPISchemaInference.infer(type)
        recorder.property(key.stringValue).fixed = schema
        if required && !recorder.isMap { recorder.required.insert(key.stringValue) }
        return value
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(type, key, required: true) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try value(type, key, required: true) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try value(type, key, required: true) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try value(type, key, required: true) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try value(type, key, required: true) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try value(type, key, required: true) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try value(type, key, required: true) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try value(type, key, required: true) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try value(type, key, required: true) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try value(type, key, required: true) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try value(type, key, required: true) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try value(type, key, required: true) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try value(type, key, required: true) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try value(type, key, required: true) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try value(type, key, required: true) }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try value(type, key, required: false) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try value(type, key, required: false) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try SchemaInferringDecoder(recorder: recorder.property(key.stringValue), codingPath: codingPath + [key]).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try SchemaInferringDecoder(recorder: recorder.property(key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { SchemaInferringDecoder(recorder: recorder, codingPath: codingPath) }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        SchemaInferringDecoder(recorder: recorder.property(key.stringValue), codingPath: codingPath + [key])
    }
}

/// Arrays and sets: one element is decoded, and its schema is the array's `items`.
final class UnkeyedSchemaContainer: UnkeyedDecodingContainer {
    let recorder: SchemaRecorder
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(recorder: SchemaRecorder, codingPath: [any CodingKey]) {
        self.recorder = recorder
        self.codingPath = codingPath
        recorder.items = recorder.items ?? SchemaRecorder()
    }

    var count: Int? { nil }
    var isAtEnd: Bool { currentIndex > 0 }

    func decodeNil() throws -> Bool { false }

    private func element<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try OpenAPISchemaInference.infer(type)
        recorder.items?.fixed = schema
        currentIndex += 1
        return value
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try element(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try element(type) }
    func decode(_ type: String.Type) throws -> String { try element(type) }
    func decode(_ type: Double.Type) throws -> Double { try element(type) }
    func decode(_ type: Float.Type) throws -> Float { try element(type) }
    func decode(_ type: Int.Type) throws -> Int { try element(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try element(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try element(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try element(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try element(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try element(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try element(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try element(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try element(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try element(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        currentIndex += 1
        return try SchemaInferringDecoder(recorder: recorder.items ?? SchemaRecorder(), codingPath: codingPath).container(keyedBy: type)
    }

    func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        currentIndex += 1
        return try SchemaInferringDecoder(recorder: recorder.items ?? SchemaRecorder(), codingPath: codingPath).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder {
        currentIndex += 1
        return SchemaInferringDecoder(recorder: recorder.items ?? SchemaRecorder(), codingPath: codingPath)
    }
}

/// A single value (a wrapper type, a `RawRepresentable` that is not `CaseIterable`): its schema
/// is the scalar's.
struct SingleValueSchemaContainer: SingleValueDecodingContainer {
    let recorder: SchemaRecorder
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { false }

    private func scalar<T: Decodable>(_ type: T.Type) throws -> T {
        let (value, schema) = try OpenAPISchemaInference.infer(type)
        recorder.fixed = schema
        return value
    }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try scalar(type) }
    func decode(_ type: Bool.Type) throws -> Bool { try scalar(type) }
    func decode(_ type: String.Type) throws -> String { try scalar(type) }
    func decode(_ type: Double.Type) throws -> Double { try scalar(type) }
    func decode(_ type: Float.Type) throws -> Float { try scalar(type) }
    func decode(_ type: Int.Type) throws -> Int { try scalar(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try scalar(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try scalar(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try scalar(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try scalar(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try scalar(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try scalar(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try scalar(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try scalar(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try scalar(type) }
}
