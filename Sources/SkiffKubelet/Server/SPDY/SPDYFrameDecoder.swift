/// Reads SPDY/3.1 frames off a byte stream that arrives in any pieces, inflating header blocks
/// through the session's one zlib stream for that direction. One per connection, used in order.
final class SPDYFrameDecoder {
    /// The stream is not SPDY/3 (wrong version, a header block that does not inflate).
    struct ProtocolError: Error {
        var reason: String
    }

    private var buffered: [UInt8] = []
    private let inflater: ZlibStream

    init() throws {
        inflater = try ZlibStream(.inflate, dictionary: SPDYDictionary.bytes)
    }

    /// Adds received bytes and returns the frames they complete.
    func receive(_ bytes: some Sequence<UInt8>) throws -> [SPDYFrame] {
        buffered += bytes
        var frames: [SPDYFrame] = []
        var start = 0
        while buffered.count - start >= 8 {
            let length = Int(BigEndian.uint32(buffered, at: start + 4) & 0x00ff_ffff)
            guard buffered.count - start >= 8 + length else { break }
            let head = Array(buffered[start..<start + 8])
            let payload = Array(buffered[start + 8..<start + 8 + length])
            frames.append(try decode(head: head, payload: payload))
            start += 8 + length
        }
        buffered.removeFirst(start)
        return frames
    }

    private func decode(head: [UInt8], payload: [UInt8]) throws -> SPDYFrame {
        let flags = head[4]
        let fin = flags & SPDYFrame.finFlag != 0
        guard head[0] & 0x80 != 0 else {
            return .data(streamID: BigEndian.uint32(head, at: 0) & 0x7fff_ffff, payload: payload, fin: fin)
        }
        let version = UInt16(head[0] & 0x7f) << 8 | UInt16(head[1])
        guard version == SPDYFrame.version else { throw ProtocolError(reason: "unsupported SPDY version \(version)") }
        let rawType = UInt16(head[2]) << 8 | UInt16(head[3])
        guard let type = SPDYFrame.ControlType(rawValue: rawType) else { return .unknown(type: rawType) }
        let minimum: [SPDYFrame.ControlType: Int] = [.synStream: 10, .synReply: 4, .rstStream: 8, .settings: 4, .ping: 4, .goAway: 8,
                                                     .headers: 4, .windowUpdate: 8]
        guard payload.count >= minimum[type] ?? 0 else { throw ProtocolError(reason: "short \(type) frame") }
        let first = BigEndian.uint32(payload, at: 0)
        let streamID = first & 0x7fff_ffff
        switch type {
        case .synStream:
            return .synStream(streamID: streamID, headers: try headers(Array(payload[10...])), fin: fin)
        case .synReply:
            return .synReply(streamID: streamID, headers: try headers(Array(payload[4...])), fin: fin)
        case .headers:
            return .headers(streamID: streamID, headers: try headers(Array(payload[4...])), fin: fin)
        case .rstStream:
            return .rstStream(streamID: streamID, status: BigEndian.uint32(payload, at: 4))
        case .settings:
            let count = Int(first)
            guard payload.count >= 4 + 8 * count else { throw ProtocolError(reason: "short SETTINGS frame") }
            return .settings((0..<count).map { index in
                let offset = 4 + 8 * index
                return SPDYSetting(flags: payload[offset], id: BigEndian.uint32(payload, at: offset) & 0x00ff_ffff,
                                   value: BigEndian.uint32(payload, at: offset + 4))
            })
        case .ping:
            return .ping(id: first)
        case .goAway:
            return .goAway(lastGoodStreamID: streamID, status: BigEndian.uint32(payload, at: 4))
        case .windowUpdate:
            return .windowUpdate(streamID: streamID, delta: BigEndian.uint32(payload, at: 4) & 0x7fff_ffff)
        }
    }

    private func headers(_ compressed: [UInt8]) throws -> [SPDYHeader] {
        do {
            return try SPDYHeaderBlock.decode(try inflater.process(compressed))
        } catch {
            throw ProtocolError(reason: "unreadable header block: \(error)")
        }
    }
}
