import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffProtobuf
import Testing

/// Answers in Kubernetes protobuf when `Accept` asks for it: objects, lists, `Status` errors and
/// watch streams; JSON and `406` as upstream otherwise.
@Suite struct ProtobufResponseTests {
    static let protobuf = "application/vnd.kubernetes.protobuf"
    static let configMaps = "/api/v1/namespaces/default/configmaps"
    static let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"], "data": ["a": "b"]]
    static let asksProtobuf: HTTPHeaders = ["Accept": protobuf + ", application/json"]

    @Test(arguments: Transport.allCases)
    func objectsListsAndWrites(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport) { server in
            let created = try await server.send(.POST, Self.configMaps, json: Self.configMap, headers: Self.asksProtobuf)
            #expect(created.status == 201)
            #expect(created.headers.first(name: "Content-Type") == Self.protobuf)
            let decoded = try KubernetesProtobuf.decode(created.body)
            #expect(decoded[path: "metadata", "name"] == "settings")
            #expect(decoded["data"] == ["a": "b"])

            let json = try await server.send(.GET, "\(Self.configMaps)/settings").json()
            let got = try await server.send(.GET, "\(Self.configMaps)/settings", headers: Self.asksProtobuf)
            #expect(try KubernetesProtobuf.decode(got.body) == json, "the same object as the JSON answer")

            let list = try await server.send(.GET, Self.configMaps, headers: Self.asksProtobuf)
            #expect(list.headers.first(name: "Content-Type") == Self.protobuf)
            let items = try KubernetesProtobuf.decode(list.body)
            #expect(items["kind"] == "ConfigMapList")
            #expect(items["items"]?.arrayValue?.count == 1)
            #expect(items[path: "metadata", "resourceVersion"]?.stringValue?.isEmpty == false)

            let deleted = try await server.send(.DELETE, "\(Self.configMaps)/settings", headers: Self.asksProtobuf)
            #expect(deleted.status == 200)
            #expect(try KubernetesProtobuf.decode(deleted.body)["kind"] == "Status")
        }
    }

    @Test(arguments: Transport.allCases)
    func errorsAndNotAcceptable(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport) { server in
            let missing = try await server.send(.GET, "\(Self.configMaps)/missing", headers: Self.asksProtobuf)
            #expect(missing.status == 404)
            #expect(missing.headers.first(name: "Content-Type") == Self.protobuf)
            let status = try KubernetesProtobuf.decode(missing.body)
            #expect(status["reason"] == "NotFound")
            #expect(status["code"] == 404)

            let html = try await server.send(.GET, Self.configMaps, headers: ["Accept": "text/html"])
            #expect(html.status == 406)
            #expect(try html.json()["message"] == .string("only the following media types are accepted: application/json, application/yaml, \(Self.protobuf)"))

            let table = try await server.send(.GET, Self.configMaps, headers: ["Accept": "\(Self.protobuf);as=Table;v=v1;g=meta.k8s.io, application/json"])
            #expect(table.headers.first(name: "Content-Type") == "application/json", "tables are never protobuf")
        }
    }

    @Test func watchStreamsLengthPrefixedEvents() async throws {
        try await APIServerHarness.with(.router) { server in
            _ = try await server.send(.POST, Self.configMaps, json: Self.configMap)
            let response = await server.api.handle(HTTPRequest(method: .GET, uri: "\(Self.configMaps)?watch=true&timeoutSeconds=30",
                                                               headers: ["Accept": "\(Self.protobuf);stream=watch"], body: []))
            #expect(response.headers.first(name: "Content-Type") == "\(Self.protobuf);stream=watch")
            guard case .stream(let stream) = response.body else { Issue.record("not a stream"); return }
            let (chunks, received) = AsyncStream<[UInt8]>.makeStream()
            let watch = Task { try await stream(ResponseBodyWriter { chunk in _ = received.yield(chunk) }) }
            defer { watch.cancel() }
            var reader = ProtobufWatchFrameReader()
            var frame: ProtobufWatchFrame?
            for await chunk in chunks {
                reader.append(chunk)
                frame = try reader.next()
                if frame != nil { break }
            }
            #expect(frame?.type == "ADDED")
            let object = try KubernetesProtobuf.decode(frame?.object ?? [])
            #expect(object[path: "metadata", "name"] == "settings")
            #expect(object["kind"] == "ConfigMap")
        }
    }
}
