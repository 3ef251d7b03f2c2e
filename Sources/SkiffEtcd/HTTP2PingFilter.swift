import NIOCore

/// Takes the peer's HTTP/2 PING frames (not their acknowledgements) out of the inbound bytes of
/// a connection, passing every other frame on untouched, for `HTTP2PingResponder` to answer.
///
/// The bytes are read as HTTP/2 frames (RFC 9113 §4.1: a 9-byte header with a 24-bit length, a
/// type, flags and a stream id, then the payload) from the first byte the server sends, which is
/// a frame (the server's connection preface is its SETTINGS frame). Frames are passed on as
/// slices of the input without copying, in one piece as long as no PING is cut out of it; a
/// header split across reads is held back until it is complete.
struct HTTP2PingFilter {
    /// The result of one read: the bytes to pass on, in order, and the opaque data of each PING
    /// taken out.
    struct Output: Equatable {
        var passOn: [ByteBuffer] = []
        var pings: [UInt64] = []
    }

    static let headerLength = 9
    static let pingType: UInt8 = 6
    static let ackFlag: UInt8 = 1
    static let pingPayloadLength = 8

    /// Payload bytes of the current frame not yet passed on.
    private var remainingInFrame = 0
    /// The start of a frame that did not fit in the last read (at most a header and a PING's payload).
    private var held = ByteBuffer()

    /// Splits one read of the connection.
    mutating func process(_ input: ByteBuffer) -> Output {
        var output = Output()
        var buffer = input
        if held.readableBytes > 0 { completeHeldFrame(from: &buffer, into: &output) }
        var runStart = buffer.readerIndex
        while buffer.readableBytes > 0 {
            if remainingInFrame > 0 {
                let length = min(remainingInFrame, buffer.readableBytes)
                buffer.moveReaderIndex(forwardBy: length)
                remainingInFrame -= length
                continue
            }
            guard let header = FrameHeader(buffer, at: buffer.readerIndex) else {
                // The rest is the start of a frame whose header comes with the next read.
                break
            }
            guard header.isPing else {
                buffer.moveReaderIndex(forwardBy: Self.headerLength)
                remainingInFrame = header.length
                continue
            }
            output.passOn.append(contentsOf: slice(of: input, from: runStart, to: buffer.readerIndex))
            runStart = buffer.readerIndex
            guard let data = buffer.getInteger(at: buffer.readerIndex + Self.headerLength, as: UInt64.self) else {
                // A PING whose payload comes with the next read.
                break
            }
            output.pings.append(data)
            buffer.moveReaderIndex(forwardBy: Self.headerLength + Self.pingPayloadLength)
            runStart = buffer.readerIndex
        }
        output.passOn.append(contentsOf: slice(of: input, from: runStart, to: buffer.readerIndex))
        if buffer.readableBytes > 0 {
            // A copy, so the small remainder does not keep the whole read's storage alive.
            held = ByteBuffer()
            held.writeImmutableBuffer(buffer)
        }
        return output
    }

    /// Completes a frame start held back from the previous read with the bytes this read begins with.
    private mutating func completeHeldFrame(from buffer: inout ByteBuffer, into output: inout Output) {
        let headerBytes = min(Self.headerLength - min(held.readableBytes, Self.headerLength), buffer.readableBytes)
        if headerBytes > 0, var part = buffer.readSlice(length: headerBytes) { held.writeBuffer(&part) }
        guard let header = FrameHeader(held, at: held.readerIndex) else { return }
        guard header.isPing else {
            output.passOn.append(held)
            held = ByteBuffer()
            remainingInFrame = header.length
            return
        }
        let missing = Self.headerLength + Self.pingPayloadLength - held.readableBytes
        if var part = buffer.readSlice(length: min(missing, buffer.readableBytes)) { held.writeBuffer(&part) }
        guard let data = held.getInteger(at: held.readerIndex + Self.headerLength, as: UInt64.self) else { return }
        output.pings.append(data)
        held = ByteBuffer()
    }

    /// The bytes of the read `input` from index `start` to `end`, if any.
    private func slice(of input: ByteBuffer, from start: Int, to end: Int) -> [ByteBuffer] {
        guard end > start, let slice = input.getSlice(at: start, length: end - start) else { return [] }
        return [slice]
    }

    /// The fields of a frame header the filter needs.
    private struct FrameHeader {
        var length: Int
        var isPing: Bool

        /// Reads the header at `index`; nil when fewer than 9 bytes are there.
        init?(_ buffer: ByteBuffer, at index: Int) {
            guard let high = buffer.getInteger(at: index, as: UInt8.self),
                  let low = buffer.getInteger(at: index + 1, as: UInt16.self),
                  let type = buffer.getInteger(at: index + 3, as: UInt8.self),
                  let flags = buffer.getInteger(at: index + 4, as: UInt8.self),
                  let stream = buffer.getInteger(at: index + 5, as: UInt32.self)
            else { return nil }
            length = Int(high) << 16 | Int(low)
            // A malformed PING (on a stream, or not 8 bytes) is passed on for the HTTP/2 handler to reject.
            isPing = type == HTTP2PingFilter.pingType && flags & HTTP2PingFilter.ackFlag == 0
                && stream & 0x7fff_ffff == 0 && length == HTTP2PingFilter.pingPayloadLength
        }
    }
}
