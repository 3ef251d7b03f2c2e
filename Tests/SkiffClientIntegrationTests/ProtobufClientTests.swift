import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting
import Testing

/// A typed client that asks for Kubernetes protobuf (`acceptsProtobuf`) reads, writes, lists,
/// watches and fails exactly as one reading JSON.
@Suite(.serialized)
struct ProtobufClientTests {
    @Test func typedVerbsOverProtobuf() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = try cluster.makeClient { $0.acceptsProtobuf = true }
            let configMaps = client.core.v1.configMaps("default")
            let listed = try await configMaps.list()
            let events = try await configMaps.watch(ListOptions(resourceVersion: listed.resourceVersion))
            let created = try await configMaps.create(CoreV1.ConfigMap(data: ["v": "1"], metadata: ObjectMeta(name: "wire", namespace: "default")))
            #expect(created.data == ["v": "1"])
            #expect(created.metadata?.uid?.isEmpty == false)
            let read = try await configMaps.get("wire")
            #expect(read.metadata?.resourceVersion == created.metadata?.resourceVersion)
            let all = try await configMaps.list()
            #expect(all.items.contains { $0.name == "wire" && $0.data == ["v": "1"] })
            #expect(!all.resourceVersion.isEmpty)
            var changed = read
            changed.data = ["v": "2"]
            _ = try await configMaps.update(changed)
            try await configMaps.delete("wire")

            let seen = try await watchedChanges(events, count: 3, value: { $0.data?["v"] ?? "" }, name: \.name)
            #expect(seen == ["added 1", "modified 2", "deleted wire"])

            let missing = await #expect(throws: APIError.self) { try await configMaps.get("wire") }
            #expect(missing?.isNotFound == true)
            try await client.shutdown()
        }
    }
}
