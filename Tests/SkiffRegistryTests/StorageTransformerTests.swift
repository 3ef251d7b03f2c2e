import SkiffAPI
import SkiffRegistry
import SkiffStorage
import Testing

/// Reverses the bytes behind a prefix: a stand-in for encryption at rest.
struct ReversingTransformer: ValueTransformer {
    static let prefix = Array("k8s:enc:test:v1:".utf8)

    func transformToStorage(_ data: [UInt8], authenticatedData: String) throws -> [UInt8] { Self.prefix + data.reversed() }

    func transformFromStorage(_ stored: [UInt8], authenticatedData: String) throws -> (data: [UInt8], stale: Bool) {
        guard stored.starts(with: Self.prefix) else { throw StorageError(.unavailable, message: "no matching prefix found") }
        return (Array(stored.dropFirst(Self.prefix.count).reversed()), false)
    }
}

/// Values of a resource with a transformer (`--encryption-provider-config`): stored transformed,
/// read, listed and watched as they were written; an unreadable value is an internal error.
struct StorageTransformerTests {
    static let secrets = GroupResource(group: "", resource: "secrets")

    @Test func secretsStoredTransformedAndServedPlain() async throws {
        let storage = MemoryStorage()
        try await withRegistry(storage: storage, transformers: { $0 == Self.secrets ? ReversingTransformer() : nil }) { registry in
            let secrets = try registry.store(Self.secrets)
            let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s1"], "stringData": ["password": "hunter2"]]
            _ = try await secrets.create(namespace: "test", object: secret)
            let stored = try #require(try await storage.get("/registry/secrets/test/s1", revision: 0))
            #expect(stored.value.starts(with: ReversingTransformer.prefix))
            #expect(!String(decoding: stored.value, as: UTF8.self).contains("aHVudGVyMg=="))
            let read = try await secrets.get(namespace: "test", name: "s1")
            #expect(read[path: "data", "password"] == "aHVudGVyMg==")
            var options = ListOptions()
            options.resourceVersion = read.resourceVersion
            let cached = try await secrets.list(namespace: "test", options: options)
            #expect(cached.items.first?.decoded[path: "data", "password"] == "aHVudGVyMg==")
            // An update that changes nothing writes nothing.
            let again = try await secrets.guaranteedUpdate(namespace: "test", name: "s1", precondition: nil, options: WriteOptions()) { $0 }
            #expect(again.resourceVersion == read.resourceVersion)
            // Config maps have no transformer: stored as they are.
            _ = try await registry.configMaps.create(namespace: "test", object: configMap("c1"))
            let plain = try #require(try await storage.get("/registry/configmaps/test/c1", revision: 0))
            #expect(plain.value.first == UInt8(ascii: "{"))

            _ = try await storage.update("/registry/secrets/test/s1", value: Array("k8s:enc:aescbc:v1:unknown:xyz".utf8), expectedModRevision: stored.modRevision)
            let error = await apiError { _ = try await secrets.get(namespace: "test", name: "s1") }
            #expect(error?.code == 500)
            #expect(error?.message.hasPrefix("Internal error occurred: ") == true)
        }
    }
}
