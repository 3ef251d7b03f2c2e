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

            var seen: [String] = []
            for try await event in events {
                switch event {
                case .added(let object): seen.append("added \(object.data?["v"] ?? "")")
                case .modified(let object): seen.append("modified \(object.data?["v"] ?? "")")
                case .deleted(let object): seen.append("deleted \(object.name)")
                case .bookmark: continue
                case .error(let error): Issue.record("watch error \(error)")
                }
                if seen.count == 3 { break }
            }
            #expect(seen == ["added 1", "modified 2", "deleted wire"])

            let missing = await #expect(throws: APIError.self) { try await configMaps.get("wire") }
            #expect(missing?.isNotFound == true)
            try await client.shutdown()
        }
    }
}
