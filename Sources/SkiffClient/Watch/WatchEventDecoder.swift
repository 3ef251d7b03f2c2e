import SkiffAPI
import SkiffProtobuf

/// Turns the bytes of a watch response into events, split across chunks anywhere: one JSON
/// object per line (`{"type":"ADDED","object":{…}}`), or length-prefixed protobuf `WatchEvent`s
/// (`application/vnd.kubernetes.protobuf;stream=watch`).
public struct WatchEventDecoder<Object: Sendable>: Sendable {
    /// How events are framed on the wire.
    public enum Framing: Sendable {
        case json
        case protobuf
    }

    private let framing: Framing
    private let decodeObject: @Sendable (JSONValue) throws -> Object
    private let decodeObjectBytes: (@Sendable ([UInt8]) throws -> Object)?
    private var partial: [UInt8] = []
    private var frames = ProtobufWatchFrameReader()

    /// `decodeObject` turns the `object` of an event into the watched type; `decodeObjectBytes`,
    /// when given, does the same from the object's JSON text, which spares an event written as
    /// API servers write them (`{"type":"ADDED","object":…}`, in that order) a parse of its frame
    /// and a serialization of its object before the object is decoded.
    public init(framing: Framing = .json, decodeObject: @escaping @Sendable (JSONValue) throws -> Object,
                decodeObjectBytes: (@Sendable ([UInt8]) throws -> Object)? = nil) {
        self.framing = framing
        self.decodeObject = decodeObject
        self.decodeObjectBytes = decodeObjectBytes
    }

    /// The events completed by `chunk`.
    public mutating func decode(_ chunk: some Collection<UInt8>) throws -> [WatchEvent<Object>] {
        if framing == .protobuf { return try decodeFrames(chunk) }
        if let events = try chunk.withContiguousStorageIfAvailable({ try decodeLines(UnsafeRawBufferPointer($0)) }) { return events }
        return try Array(chunk).withUnsafeBytes { try decodeLines($0) }
    }

    /// The events of the lines `bytes` completes; what follows the last newline waits in
    /// `partial` for the next chunk. (Searched in contiguous memory: a byte-by-byte walk through
    /// a generic collection cost more than some of the decoding.)
    private mutating func decodeLines(_ bytes: UnsafeRawBufferPointer) throws -> [WatchEvent<Object>] {
        var events: [WatchEvent<Object>] = []
        var rest = bytes[...]
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            partial.append(contentsOf: rest[..<newline])
            if let event = try decodeLine() { events.append(event) }
            rest = rest[(newline + 1)...]
        }
        partial.append(contentsOf: rest)
        return events
    }

    /// The last event, when the stream ended without a final newline.
    public mutating func finish() throws -> WatchEvent<Object>? {
        framing == .json ? try decodeLine() : nil
    }

    private mutating func decodeFrames(_ chunk: some Collection<UInt8>) throws -> [WatchEvent<Object>] {
        frames.append(chunk)
        var events: [WatchEvent<Object>] = []
        do {
            while let frame = try frames.next() {
                events.append(try event(type: frame.type, object: try KubernetesProtobuf.decode(frame.object)))
            }
        } catch let error as ProtobufError {
            throw ClientError.decoding("a watch event is not Kubernetes protobuf: \(error)")
        }
        return events
    }

    private mutating func decodeLine() throws -> WatchEvent<Object>? {
        defer { partial.removeAll(keepingCapacity: true) }
        guard partial.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { return nil }
        if let decodeObjectBytes, let (type, object) = Self.objectOfFrame(partial), let decoded = try? decodeObjectBytes(object) {
            switch type {
            case .added: return .added(decoded)
            case .modified: return .modified(decoded)
            default: return .deleted(decoded)
            }
        }
        let frame: JSONValue
        do {
            frame = try JSONValue(parsing: partial)
        } catch {
            throw ClientError.decoding("a watch event is not JSON: \(error)")
        }
        guard let type = frame["type"]?.stringValue, let object = frame["object"] else {
            throw ClientError.decoding("a watch event has no type or object")
        }
        return try event(type: type, object: object)
    }

    /// The event type and the object's text of a frame that opens as API servers write it and
    /// ends with the frame's closing brace; nil otherwise (the frame is then parsed whole).
    private static func objectOfFrame(_ line: [UInt8]) -> (WatchEventType, [UInt8])? {
        var end = line.endIndex
        while end > line.startIndex, [UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t")].contains(line[end - 1]) { end -= 1 }
        guard end > line.startIndex, line[end - 1] == UInt8(ascii: "}") else { return nil }
        for (opening, type) in objectFrameOpenings where line.count > opening.count && line.starts(with: opening) {
            return (type, Array(line[opening.count..<(end - 1)]))
        }
        return nil
    }

    private func event(type: String, object: JSONValue) throws -> WatchEvent<Object> {
        switch WatchEventType(rawValue: type) {
        case .added: return .added(try decode(object))
        case .modified: return .modified(try decode(object))
        case .deleted: return .deleted(try decode(object))
        case .bookmark:
            return .bookmark(resourceVersion: object.resourceVersion ?? "", annotations: object.annotations)
        case .error:
            return .error(APIError(status: object) ?? APIError(code: 500, reason: .internalError, message: object.serializedString()))
        case nil:
            throw ClientError.decoding("unknown watch event type \(type)")
        }
    }

    private func decode(_ object: JSONValue) throws -> Object {
        do {
            return try decodeObject(object)
        } catch let error as ClientError {
            throw error
        } catch {
            throw ClientError(.decoding, "cannot decode the object of a watch event", underlying: error)
        }
    }
}

/// The frame openings of the watch events that carry an object, with their type.
private let objectFrameOpenings: [(opening: [UInt8], type: WatchEventType)] =
    [WatchEventType.added, .modified, .deleted].map { (Array(#"{"type":"\#($0.rawValue)","object":"#.utf8), $0) }
