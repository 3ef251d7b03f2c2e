/// A minimal protobuf reader for tests: a message as its fields, to check what an encoder wrote
/// without the encoder's own reader.
struct ProtobufFields {
    enum Value: Equatable {
        case varint(UInt64)
        case bytes([UInt8])
        case fixed64(UInt64)

        var message: ProtobufFields? {
            guard case .bytes(let bytes) = self else { return nil }
            return try? ProtobufFields(bytes)
        }

        var string: String? {
            guard case .bytes(let bytes) = self else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    struct Malformed: Error {}

    /// Field number → values, in wire order.
    private(set) var fields: [Int: [Value]] = [:]
    /// Field numbers in wire order (a number repeats for repeated fields).
    private(set) var order: [Int] = []

    init(_ bytes: [UInt8]) throws {
        var index = 0
        func varint() throws -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard index < bytes.count, shift < 64 else { throw Malformed() }
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
        }
        while index < bytes.count {
            let key = try varint()
            let value: Value
            switch key & 7 {
            case 0: value = .varint(try varint())
            case 1:
                guard index + 8 <= bytes.count else { throw Malformed() }
                value = .fixed64((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[index + $1]) << (8 * UInt64($1)) })
                index += 8
            case 2:
                let length = Int(try varint())
                guard index + length <= bytes.count else { throw Malformed() }
                value = .bytes(Array(bytes[index..<(index + length)]))
                index += length
            default: throw Malformed()
            }
            fields[Int(key >> 3), default: []].append(value)
            order.append(Int(key >> 3))
        }
    }

    subscript(_ number: Int) -> [Value] { fields[number] ?? [] }

    func string(_ number: Int) -> String? { self[number].last?.string }
    func strings(_ number: Int) -> [String] { self[number].compactMap(\.string) }
    func message(_ number: Int) -> ProtobufFields? { self[number].last?.message }
    func messages(_ number: Int) -> [ProtobufFields] { self[number].compactMap(\.message) }

    /// The value of gnostic's `repeated Named…` pair in `number` whose `name` (1) is `name`.
    func named(_ number: Int, _ name: String) -> ProtobufFields? {
        messages(number).first { $0.string(1) == name }?.message(2)
    }

    /// The `Any.yaml` (2) of the vendor extension `name` in field `number`.
    func vendorExtension(_ number: Int, _ name: String) -> String? {
        named(number, name)?.string(2)
    }
}
