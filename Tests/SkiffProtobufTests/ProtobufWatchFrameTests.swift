import SkiffAPI
import SkiffProtobuf
import Testing

@Suite struct ProtobufWatchFrameTests {
    static let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "a", "namespace": "default"], "data": ["k": "v"]]

    @Test func frameIsALengthPrefixedWatchEvent() throws {
        let object = try KubernetesProtobuf.encode(Self.configMap)
        let bytes = ProtobufWatchFrame(type: "ADDED", object: object).bytes
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        #expect(length == bytes.count - 4)
        // WatchEvent.type (field 1), then object (field 2): a RawExtension whose raw (field 1) is the enveloped object.
        #expect(Array(bytes[4..<11]) == [0x0A, 5] + Array("ADDED".utf8))
        #expect(bytes[11] == 0x12)
        #expect(Array(bytes.suffix(object.count)) == object)
    }

    @Test func readerSplitsChunkedStreams() throws {
        let frames = try ["ADDED", "MODIFIED", "DELETED"].map { ProtobufWatchFrame(type: $0, object: try KubernetesProtobuf.encode(Self.configMap)) }
        let stream = frames.flatMap(\.bytes)
        var reader = ProtobufWatchFrameReader()
        var read: [ProtobufWatchFrame] = []
        for chunk in stride(from: 0, to: stream.count, by: 7).map({ stream[$0..<min($0 + 7, stream.count)] }) {
            reader.append(chunk)
            while let frame = try reader.next() { read.append(frame) }
        }
        #expect(read == frames)
        #expect(try KubernetesProtobuf.decode(read[1].object) == Self.configMap)
    }

    @Test func listOfCachedMessagesDecodesAsTheList() throws {
        let items = (1...3).map { index -> JSONValue in
            var item = Self.configMap
            item["metadata"] = ["name": .string("c\(index)"), "namespace": "default", "resourceVersion": .string("\(index)")]
            return item
        }
        let bytes = try KubernetesProtobuf.encodeList(apiVersion: "v1", kind: "ConfigMapList", metadata: ["resourceVersion": "9", "continue": "next"],
                                                      items: items.map(KubernetesProtobuf.encodeMessage))
        let list = try KubernetesProtobuf.decode(bytes)
        #expect(list["kind"] == "ConfigMapList")
        #expect(list[path: "metadata", "resourceVersion"] == "9")
        #expect(list[path: "metadata", "continue"] == "next")
        #expect(list["items"]?.arrayValue?.compactMap { $0[path: "metadata", "name"]?.stringValue } == ["c1", "c2", "c3"])
        #expect(list["items"]?.arrayValue?.first?["data"] == ["k": "v"])
    }

    @Test func statusHasTheV1TypeMeta() throws {
        let status: JSONValue = ["kind": "Status", "apiVersion": "v1", "metadata": .emptyObject, "status": "Failure",
                                 "message": "not found", "reason": "NotFound", "code": 404, "details": ["name": "x", "kind": "pods"]]
        let bytes = try KubernetesProtobuf.encode(status)
        #expect(try KubernetesProtobuf.decode(bytes) == status)
        #expect(Array(bytes.suffix(4)) == [0x1A, 0x00, 0x22, 0x00], "the envelope's empty contentEncoding and contentType, as Go writes them")
    }
}
