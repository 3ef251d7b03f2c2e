/// A SPDY/3.1 frame (the framing kubectl's port-forward and exec speak when they do not use
/// WebSockets): a data frame of a stream, or one of the control frames. Header blocks are
/// decoded name/value pairs (names lowercase; several values of one name are joined by NUL).
enum SPDYFrame: Sendable, Equatable {
    case data(streamID: UInt32, payload: [UInt8], fin: Bool)
    case synStream(streamID: UInt32, headers: [SPDYHeader], fin: Bool)
    case synReply(streamID: UInt32, headers: [SPDYHeader], fin: Bool)
    case rstStream(streamID: UInt32, status: UInt32)
    case settings([SPDYSetting])
    case ping(id: UInt32)
    case goAway(lastGoodStreamID: UInt32, status: UInt32)
    case headers(streamID: UInt32, headers: [SPDYHeader], fin: Bool)
    case windowUpdate(streamID: UInt32, delta: UInt32)
    /// A control frame of a type this side does not know; it is ignored, as SPDY says.
    case unknown(type: UInt16)

    static let version: UInt16 = 3
    static let finFlag: UInt8 = 0x01

    /// The control frame types (SPDY/3 §2.6).
    enum ControlType: UInt16 {
        case synStream = 1, synReply = 2, rstStream = 3, settings = 4, ping = 6, goAway = 7, headers = 8, windowUpdate = 9
    }

    /// RST_STREAM status codes used here.
    enum Status {
        static let protocolError: UInt32 = 1
        static let refusedStream: UInt32 = 3
        static let cancel: UInt32 = 5
    }
}

/// One name/value pair of a header block.
struct SPDYHeader: Sendable, Equatable {
    var name: String
    var value: String
}

/// One entry of a SETTINGS frame.
struct SPDYSetting: Sendable, Equatable {
    var flags: UInt8
    var id: UInt32
    var value: UInt32
}

/// SPDY/3's name/value header block, before compression: a 32-bit count, then each name and
/// value with a 32-bit length.
enum SPDYHeaderBlock {
    /// A header block that cannot be read.
    struct Malformed: Error {}

    static func encode(_ headers: [SPDYHeader]) -> [UInt8] {
        var bytes = BigEndian.bytes(UInt32(headers.count))
        for header in headers {
            for text in [header.name.lowercased(), header.value] {
                bytes += BigEndian.bytes(UInt32(text.utf8.count)) + Array(text.utf8)
            }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> [SPDYHeader] {
        var reader = ByteReader(bytes)
        let count = try reader.uint32()
        var headers: [SPDYHeader] = []
        for _ in 0..<count {
            let name = try reader.string(length: Int(try reader.uint32()))
            let value = try reader.string(length: Int(try reader.uint32()))
            headers.append(SPDYHeader(name: name, value: value))
        }
        return headers
    }

    /// Reads big-endian fields off a byte array.
    struct ByteReader {
        private let bytes: [UInt8]
        private var offset = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
        }

        mutating func uint32() throws -> UInt32 {
            guard offset + 4 <= bytes.count else { throw Malformed() }
            defer { offset += 4 }
            return BigEndian.uint32(bytes, at: offset)
        }

        mutating func string(length: Int) throws -> String {
            guard length >= 0, offset + length <= bytes.count else { throw Malformed() }
            defer { offset += length }
            return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
        }
    }
}

/// Big-endian integers in SPDY's frames.
enum BigEndian {
    static func bytes(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
