import SkiffAPI
import SkiffProtobuf
import Testing

@testable import SkiffClient

struct WatchEventDecoderTests {
    static let stream = """
        {"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}
        {"type":"MODIFIED","object":{"metadata":{"name":"a","resourceVersion":"6"}}}

        {"type":"DELETED","object":{"metadata":{"name":"a","resourceVersion":"7"}}}
        {"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9","annotations":{"k8s.io/initial-events-end":"true"}}}}
        {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (5)","reason":"Expired","code":410}}
        """

    static func object(_ rv: String) -> JSONValue { ["metadata": ["name": "a", "resourceVersion": .string(rv)]] }

    static let expected: [WatchEvent<JSONValue>] = [
        .added(object("5")), .modified(object("6")), .deleted(object("7")),
        .bookmark(resourceVersion: "9", annotations: ["k8s.io/initial-events-end": "true"]),
        .error(APIError(code: 410, reason: .expired, message: "too old resource version: 1 (5)")),
    ]

    @Test(arguments: [1, 7, 64, 4096])
    func framesEventsSplitAnywhere(chunkSize: Int) throws {
        var decoder = WatchEventDecoder<JSONValue>(decodeObject: { $0 })
        let bytes = Array(Self.stream.utf8)
        var events: [WatchEvent<JSONValue>] = []
        var start = 0
        while start < bytes.count {
            events += try decoder.decode(bytes[start..<min(start + chunkSize, bytes.count)])
            start += chunkSize
        }
        if let last = try decoder.finish() { events.append(last) }
        #expect(events == Self.expected)
    }

    @Test func framesEventsOfACollectionThatIsNotContiguous() throws {
        var decoder = WatchEventDecoder<JSONValue>(decodeObject: { $0 })
        var events = try decoder.decode(Array(Self.stream.utf8).lazy.map { $0 })
        if let last = try decoder.finish() { events.append(last) }
        #expect(events == Self.expected)
    }

    @Test func decodesTypedObjects() throws {
        var decoder = WatchEventDecoder<TestWidget>(decodeObject: ObjectCodec<TestWidget>.typed.decodeValue)
        let line = #"{"type":"ADDED","object":{"apiVersion":"example.skiff.dev/v1","kind":"Widget","metadata":{"name":"w","namespace":"ns"},"spec":{"size":3}}}"# + "\n"
        let events = try decoder.decode(Array(line.utf8))
        #expect(events.count == 1)
        #expect(events.first?.object?.spec?.size == 3)
        #expect(events.first?.object?.cacheKey == "ns/w")
    }

    /// Frames as API servers write them have their object decoded from its text; frames in
    /// another member order or with trailing members are parsed whole, with the same result.
    @Test func decodesObjectsFromTheirTextWhateverTheFramesMemberOrder() throws {
        let codec = ObjectCodec<TestWidget>.typed
        var decoder = WatchEventDecoder<TestWidget>(decodeObject: codec.decodeValue, decodeObjectBytes: codec.decode)
        let object = #"{"apiVersion":"example.skiff.dev/v1","kind":"Widget","metadata":{"name":"w","namespace":"ns"},"spec":{"size":3}}"#
        let lines = [
            #"{"type":"MODIFIED","object":\#(object)} "#,
            #"{"object":\#(object),"type":"DELETED"}"#,
            #"{"type":"ADDED","object":\#(object),"extra":{}}"#,
            #"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}"#,
        ]
        let events = try decoder.decode(Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(events.map(\.object?.spec?.size) == [3, 3, 3, nil])
        guard events.count == 4, case .modified = events[0], case .deleted = events[1], case .added = events[2],
              case .bookmark(let version, _) = events[3] else {
            Issue.record("unexpected events: \(events)")
            return
        }
        #expect(version == "9")
    }

    @Test func garbageIsADecodingError() {
        var decoder = WatchEventDecoder<JSONValue>(decodeObject: { $0 })
        #expect(throws: ClientError.self) { try decoder.decode(Array("{nope\n".utf8)) }
        #expect(throws: ClientError.self) { try decoder.decode(Array(#"{"type":"WHAT","object":{}}"#.utf8 + [10])) }
    }
}

struct ProtobufWatchEventDecoderTests {
    @Test(arguments: [1, 7, 4096])
    func framesProtobufEventsSplitAnywhere(chunkSize: Int) throws {
        let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "resourceVersion": "5"]]
        let status: JSONValue = ["apiVersion": "v1", "kind": "Status", "metadata": .emptyObject, "status": "Failure",
                                 "message": "too old resource version: 1 (5)", "reason": "Expired", "code": 410]
        let bytes = try ProtobufWatchFrame(type: "ADDED", object: KubernetesProtobuf.encode(configMap)).bytes
            + ProtobufWatchFrame(type: "ERROR", object: KubernetesProtobuf.encode(status)).bytes
        var decoder = WatchEventDecoder<JSONValue>(framing: .protobuf, decodeObject: { $0 })
        var events: [WatchEvent<JSONValue>] = []
        var start = 0
        while start < bytes.count {
            events += try decoder.decode(bytes[start..<min(start + chunkSize, bytes.count)])
            start += chunkSize
        }
        #expect(try decoder.finish() == nil)
        #expect(events == [.added(configMap), .error(APIError(code: 410, reason: .expired, message: "too old resource version: 1 (5)"))])
    }
}
