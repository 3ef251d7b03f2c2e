import CZlib

/// One direction of SPDY/3's header compression: a single zlib stream for the whole session,
/// primed with SPDY's dictionary and flushed (never finished) after each header block, so each
/// block can be read as soon as it arrives. Not thread-safe: one owner uses it in order.
final class ZlibStream {
    enum Mode { case inflate, deflate }

    /// zlib failed (a corrupt header block, or zlib's own error).
    struct Failure: Error, Equatable {
        let code: Int32
    }

    private let mode: Mode
    private let dictionary: [UInt8]
    private let stream: UnsafeMutablePointer<z_stream>

    init(_ mode: Mode, dictionary: [UInt8]) throws {
        self.mode = mode
        self.dictionary = dictionary
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let size = Int32(MemoryLayout<z_stream>.size)
        let code = switch mode {
        case .inflate: inflateInit_(stream, ZLIB_VERSION, size)
        case .deflate: deflateInit_(stream, Z_BEST_COMPRESSION, ZLIB_VERSION, size)
        }
        guard code == Z_OK else {
            stream.deallocate()
            throw Failure(code: code)
        }
        if mode == .deflate {
            let set = dictionary.withUnsafeBufferPointer { deflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
            guard set == Z_OK else { throw Failure(code: set) }
        }
    }

    deinit {
        switch mode {
        case .inflate: inflateEnd(stream)
        case .deflate: deflateEnd(stream)
        }
        stream.deallocate()
    }

    /// Compresses or decompresses `input` and returns everything it yields up to a sync flush.
    func process(_ input: [UInt8]) throws -> [UInt8] {
        var input = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        try input.withUnsafeMutableBufferPointer { inBuffer in
            stream.pointee.next_in = inBuffer.baseAddress
            stream.pointee.avail_in = uInt(inBuffer.count)
            while true {
                let before = stream.pointee.avail_in
                let produced = try chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.pointee.next_out = outBuffer.baseAddress
                    stream.pointee.avail_out = uInt(outBuffer.count)
                    var code = mode == .inflate ? inflate(stream, Z_SYNC_FLUSH) : deflate(stream, Z_SYNC_FLUSH)
                    if code == Z_NEED_DICT {
                        code = dictionary.withUnsafeBufferPointer { inflateSetDictionary(stream, $0.baseAddress, uInt($0.count)) }
                        guard code == Z_OK else { throw Failure(code: code) }
                        code = inflate(stream, Z_SYNC_FLUSH)
                    }
                    guard code == Z_OK || code == Z_BUF_ERROR || code == Z_STREAM_END else { throw Failure(code: code) }
                    return outBuffer.count - Int(stream.pointee.avail_out)
                }
                output += chunk[..<produced]
                // Done once the output had room to spare and the input is used up (or zlib makes no progress).
                let stalled = produced == 0 && stream.pointee.avail_in == before
                if stream.pointee.avail_out > 0 && (stream.pointee.avail_in == 0 || stalled) { break }
            }
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
        }
        return output
    }
}
