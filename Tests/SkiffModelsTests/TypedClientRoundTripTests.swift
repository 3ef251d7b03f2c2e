import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffRegistry
import SkiffStorage
import SkiffTesting
import Testing

/// SkiffClient's typed clients over every built-in kind: what the server serves lists and reads
/// as the kind's model, and writes back unchanged.
@Suite struct TypedClientRoundTripTests {
    @Test func typedClientsRoundTripEveryServedKind() async throws {
        let entries = ServedObjectsRoundTripTests.listedEntries
        let checked = try await InProcessCluster.withCluster { server in
            try await ServedObjectsRoundTripTests.populate(server)
            let client = server.client
            var checked = 0
            for entry in entries {
                let info = entry.info
                let gvk = GroupVersionKind(group: info.group, version: info.version, kind: info.kind)
                let model = try #require(BuiltinModels.kinds.first { $0.groupVersionKind == gvk })
                let prefix = info.group.isEmpty ? "/api/v1" : "/apis/\(info.group)/\(info.version)"
                let raw = try await server.send("GET", "\(prefix)/\(info.plural)").json()
                let names = (raw["items"]?.arrayValue ?? []).compactMap { $0[path: "metadata", "name"]?.stringValue }
                try await checkTypedClient(model, client: client, expectedNames: names, gvk: gvk)
                checked += 1
            }
            return checked
        }
        #expect(checked == entries.count)
    }
}

/// Lists `type` across namespaces, reads its first object by name and replaces it unchanged: the
/// update must succeed (the typed form loses nothing the server validates) and change nothing.
private func checkTypedClient<Object: KubernetesObject>(
    _ type: Object.Type, client: KubernetesClient, expectedNames: [String], gvk: GroupVersionKind
) async throws {
    let list = try await client.resource(type).list()
    #expect(list.items.map(\.name).sorted() == expectedNames.sorted(), "\(gvk)")
    guard let first = list.items.first else { return }
    let resource = client.resource(type, namespace: first.namespace.isEmpty ? nil : first.namespace)
    let read = try await resource.get(first.name)
    #expect(read == first, "\(gvk) get equals the listed item")
    let written = try await resource.update(read)
    #expect(written.metadata?.resourceVersion == read.metadata?.resourceVersion, "\(gvk): an unchanged update writes nothing")
}
