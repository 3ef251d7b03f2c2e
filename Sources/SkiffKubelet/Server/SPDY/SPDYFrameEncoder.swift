/// Writes SPDY/3.1 frames as bytes, deflating header blocks through the session's one zlib
/// stream for that direction: frames must be written in the order they were encoded.
final class SPDYFrameEncoder {
    private let deflater: ZlibStream

    init() throws {
        deflater = try ZlibStream(.deflate, dictionary: SPDYDictionary.bytes)
    }

    /// The bytes of `frame`.
    func encode(_ frame: SPDYFrame) throws -> [UInt8] {
        switch frame {
        case .data(let streamID, let payload, let fin):
            return BigEndian.bytes(streamID & 0x7fff_ffff) + lengthField(flags: fin ? SPDYFrame.finFlag : 0, payload.count) + payload
        case .synStream(let streamID, let headers, let fin):
            let block = try deflater.process(SPDYHeaderBlock.encode(headers))
            return control(.synStream, flags: fin ? SPDYFrame.finFlag : 0, BigEndian.bytes(streamID) + BigEndian.bytes(0) + [0, 0] + block)
        case .synReply(let streamID, let headers, let fin):
            let block = try deflater.process(SPDYHeaderBlock.encode(headers))
            return control(.synReply, flags: fin ? SPDYFrame.finFlag : 0, BigEndian.bytes(streamID) + block)
        case .headers(let streamID, let headers, let fin):
            let block = try deflater.process(SPDYHeaderBlock.encode(headers))
            return control(.headers, flags: fin ? SPDYFrame.finFlag : 0, BigEndian.bytes(streamID) + block)
        case .rstStream(let streamID, let status):
            return control(.rstStream, flags: 0, BigEndian.bytes(streamID) + BigEndian.bytes(status))
        case .settings(let settings):
            let entries = settings.flatMap { setting -> [UInt8] in [setting.flags] + BigEndian.bytes(setting.id)[1...] + BigEndian.bytes(setting.value) }
            return control(.settings, flags: 0, BigEndian.bytes(UInt32(settings.count)) + entries)
        case .ping(let id):
            return control(.ping, flags: 0, BigEndian.bytes(id))
        case .goAway(let lastGoodStreamID, let status):
            return control(.goAway, flags: 0, BigEndian.bytes(lastGoodStreamID) + BigEndian.bytes(status))
        case .windowUpdate(let streamID, let delta):
            return control(.windowUpdate, flags: 0, BigEndian.bytes(streamID) + BigEndian.bytes(delta))
        case .unknown:
            return []
        }
    }

    private func control(_ type: SPDYFrame.ControlType, flags: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x80 | UInt8(SPDYFrame.version >> 8), UInt8(SPDYFrame.version & 0xff), UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xff)]
            + lengthField(flags: flags, payload.count) + payload
    }

    /// Flags and the 24-bit length.
    private func lengthField(flags: UInt8, _ length: Int) -> [UInt8] {
        [flags, UInt8(length >> 16 & 0xff), UInt8(length >> 8 & 0xff), UInt8(length & 0xff)]
    }
}
