/// A watch event in Kubernetes' protobuf stream (`application/vnd.kubernetes.protobuf;stream=watch`):
/// a 4-byte big-endian length, then a `meta/v1` `WatchEvent` message without an envelope (`type`,
/// then `object` as a `runtime.RawExtension` whose `raw` is the enveloped object), as
/// apimachinery's length-delimited framer and raw protobuf serializer write it.
public struct ProtobufWatchFrame: Sendable, Equatable {
    /// `ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK` or `ERROR`.
    public var type: String
    /// The enveloped object (`KubernetesProtobuf.encode`).
    public var object: [UInt8]

    public init(type: String, object: [UInt8]) {
        self.type = type
        self.object = object
    }

    /// The frame: length prefix and message.
    public var bytes: [UInt8] {
        var rawExtension = WireWriter()
        rawExtension.writeBytes(1, object)
        var event = WireWriter()
        event.writeBytes(1, Array(type.utf8))
        event.writeBytes(2, rawExtension.bytes)
        let length = UInt32(event.bytes.count)
        return [UInt8(length >> 24), UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8),
                UInt8(truncatingIfNeeded: length)] + event.bytes
    }

    /// A `WatchEvent` message (without the length prefix).
    static func decode(_ message: ArraySlice<UInt8>) throws(ProtobufError) -> ProtobufWatchFrame {
        var reader = WireReader(message)
        var frame = ProtobufWatchFrame(type: "", object: [])
        while !reader.isAtEnd {
            let (field, type) = try reader.readTag()
            switch (field, type) {
            case (1, .lengthDelimited):
                frame.type = String(decoding: try reader.readLengthDelimited(), as: UTF8.self)
            case (2, .lengthDelimited):
                var rawExtension = WireReader(try reader.readLengthDelimited())
                while !rawExtension.isAtEnd {
                    let (inner, innerType) = try rawExtension.readTag()
                    if inner == 1, innerType == .lengthDelimited {
                        frame.object = Array(try rawExtension.readLengthDelimited())
                    } else {
                        try rawExtension.skip(innerType)
                    }
                }
            default:
                try reader.skip(type)
            }
        }
        return frame
    }
}

/// Splits a protobuf watch stream, received in chunks of any size, into its frames.
public struct ProtobufWatchFrameReader: Sendable {
    private var buffer: [UInt8] = []
    /// Where the first unread byte of `buffer` is.
    private var start = 0

    public init() {}

    /// Adds received bytes.
    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        } else if start >= 1 << 16 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame; nil until enough bytes have arrived.
    public mutating func next() throws(ProtobufError) -> ProtobufWatchFrame? {
        guard buffer.count - start >= 4 else { return nil }
        let length = buffer[start..<(start + 4)].reduce(0) { $0 << 8 | Int($1) }
        guard buffer.count - start - 4 >= length else { return nil }
        let frame = try ProtobufWatchFrame.decode(buffer[(start + 4)..<(start + 4 + length)])
        start += 4 + length
        return frame
    }
}
