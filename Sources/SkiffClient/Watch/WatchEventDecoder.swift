import SkiffAPI

/// Turns the bytes of a watch response into events: the server sends one JSON object per line
/// (`{"type":"ADDED","object":{…}}`), split across chunks anywhere.
public struct WatchEventDecoder<Object: Sendable>: Sendable {
    private let decodeObject: @Sendable (JSONValue) throws -> Object
    private var partial: [UInt8] = []

    /// `decodeObject` turns the `object` of an event into the watched type.
    public init(decodeObject: @escaping @Sendable (JSONValue) throws -> Object) {
        self.decodeObject = decodeObject
    }

    /// The events completed by `chunk`.
    public mutating func decode(_ chunk: some Collection<UInt8>) throws -> [WatchEvent<Object>] {
        var events: [WatchEvent<Object>] = []
        var lineStart = chunk.startIndex
        var index = chunk.startIndex
        while index != chunk.endIndex {
            if chunk[index] == UInt8(ascii: "\n") {
                partial.append(contentsOf: chunk[lineStart..<index])
                if let event = try decodeLine() { events.append(event) }
                lineStart = chunk.index(after: index)
            }
            index = chunk.index(after: index)
        }
        partial.append(contentsOf: chunk[lineStart...])
        return events
    }

    /// The last event, when the stream ended without a final newline.
    public mutating func finish() throws -> WatchEvent<Object>? {
        try decodeLine()
    }

    private mutating func decodeLine() throws -> WatchEvent<Object>? {
        defer { partial.removeAll(keepingCapacity: true) }
        guard partial.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\t") }) else { return nil }
        let frame: JSONValue
        do {
            frame = try JSONValue(parsing: partial)
        } catch {
            throw ClientError.decoding("a watch event is not JSON: \(error)")
        }
        guard let type = frame["type"]?.stringValue, let object = frame["object"] else {
            throw ClientError.decoding("a watch event has no type or object")
        }
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
