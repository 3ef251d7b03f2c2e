/// Protocol buffers wire format: reading and writing varints, tags and length-delimited fields.
struct WireReader {
    enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    var isAtEnd: Bool { index >= bytes.endIndex }

    mutating func readVarint() throws(ProtobufError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex, shift < 64 else { throw ProtobufError("truncated varint") }
            let byte = bytes[index]
            index += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func readTag() throws(ProtobufError) -> (field: Int, type: WireType) {
        let key = try readVarint()
        guard let type = WireType(rawValue: UInt8(key & 7)) else { throw ProtobufError("invalid wire type \(key & 7)") }
        return (Int(key >> 3), type)
    }

    mutating func readLengthDelimited() throws(ProtobufError) -> ArraySlice<UInt8> {
        let length = Int(try readVarint())
        guard length >= 0, index + length <= bytes.endIndex else { throw ProtobufError("truncated length-delimited field") }
        defer { index += length }
        return bytes[index..<(index + length)]
    }

    mutating func readFixed(_ count: Int) throws(ProtobufError) -> UInt64 {
        guard index + count <= bytes.endIndex else { throw ProtobufError("truncated fixed-width field") }
        var value: UInt64 = 0
        for offset in 0..<count { value |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        index += count
        return value
    }

    /// Skips a field of an unknown number.
    mutating func skip(_ type: WireType) throws(ProtobufError) {
        switch type {
        case .varint: _ = try readVarint()
        case .fixed64: _ = try readFixed(8)
        case .lengthDelimited: _ = try readLengthDelimited()
        case .fixed32: _ = try readFixed(4)
        case .startGroup, .endGroup: throw ProtobufError("groups are not supported")
        }
    }
}

/// Appends protocol buffers fields.
struct WireWriter {
    var bytes: [UInt8] = []

    mutating func writeVarint(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(value & 0x7F) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func writeTag(_ field: Int, _ type: WireReader.WireType) {
        writeVarint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    mutating func writeBytes(_ field: Int, _ value: [UInt8]) {
        writeTag(field, .lengthDelimited)
        writeVarint(UInt64(value.count))
        bytes += value
    }

    mutating func writeFixed(_ field: Int, _ value: UInt64, width: Int) {
        writeTag(field, width == 8 ? .fixed64 : .fixed32)
        for offset in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(offset)))) }
    }
}

/// A protobuf body that cannot be decoded or encoded.
public struct ProtobufError: Error, Sendable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}
