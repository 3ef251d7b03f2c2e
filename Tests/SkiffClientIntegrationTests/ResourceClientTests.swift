import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// The typed and dynamic clients against a real server.
@Suite(.serialized)
struct ResourceClientTests {
    @Test func crudWithTypedErrors() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.resource(TestConfigMap.self, namespace: "default")
            let created = try await configMaps.create(TestConfigMap(namespace: "default", name: "app", data: ["a": "1"]))
            #expect(created.metadata?.uid?.isEmpty == false)
            let duplicate = await #expect(throws: APIError.self) {
                try await configMaps.create(TestConfigMap(namespace: "default", name: "app", data: [:]))
            }
            #expect(duplicate?.isAlreadyExists == true)

            var changed = try await configMaps.get("app")
            #expect(changed.data == ["a": "1"])
            changed.data = ["a": "2"]
            let updated = try await configMaps.update(changed)
            #expect(updated.data == ["a": "2"])
            #expect(updated.metadata?.resourceVersion != created.metadata?.resourceVersion)

            // The stale copy carries the old resourceVersion: 409 Conflict.
            var stale = created
            stale.data = ["a": "3"]
            let conflict = await #expect(throws: APIError.self) { try await configMaps.update(stale) }
            #expect(conflict?.isConflict == true)
            #expect(conflict?.code == 409)

            let patched = try await configMaps.patch("app", type: .merge, patch: ["data": ["b": "x"]])
            #expect(patched.data == ["a": "2", "b": "x"])

            try await configMaps.delete("app")
            let missing = await #expect(throws: APIError.self) { try await configMaps.get("app") }
            #expect(missing?.isNotFound == true)
        }
    }

    @Test func listPagesAndDynamicClient() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "configmaps"))
                .namespace("default")
            for index in 0..<7 {
                _ = try await configMaps.create([
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string("cm-\(index)"), "labels": ["set": "paged"]],
                ])
            }
            let first = try await configMaps.list(ListOptions(labelSelector: "set=paged", limit: 3))
            #expect(first.items.count == 3)
            let token = try #require(first.continueToken)
            let second = try await configMaps.list(ListOptions(labelSelector: "set=paged", limit: 3, continue: token))
            #expect(second.items.count == 3)
            #expect(Set(first.items.compactMap(\.name)).isDisjoint(with: second.items.compactMap(\.name)))
            let all = try await configMaps.listAll(ListOptions(labelSelector: "set=paged", limit: 3))
            #expect(all.items.compactMap(\.name).sorted() == (0..<7).map { "cm-\($0)" })
            #expect(all.continueToken == nil)

            try await configMaps.deleteCollection(listOptions: ListOptions(labelSelector: "set=paged"))
            #expect(try await configMaps.list(ListOptions(labelSelector: "set=paged")).items.isEmpty)
        }
    }

    @Test func watchFromAListsResourceVersion() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.resource(TestConfigMap.self, namespace: "default")
            let listed = try await configMaps.list()
            let events = try await configMaps.watch(ListOptions(resourceVersion: listed.resourceVersion))
            _ = try await configMaps.create(TestConfigMap(namespace: "default", name: "w", data: ["v": "1"]))
            _ = try await configMaps.patch("w", type: .merge, patch: ["data": ["v": "2"]])
            try await configMaps.delete("w")

            let seen = try await watchedChanges(events, count: 3, value: { $0.data?["v"] ?? "" }, name: \.name)
            #expect(seen == ["added 1", "modified 2", "deleted w"])
        }
    }

    @Test func watchEndsOnCancellation() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.resource(TestConfigMap.self, namespace: "default")
            let events = try await configMaps.watch()
            let reader = Task {
                var count = 0
                for try await _ in events { count += 1 }
                return count
            }
            reader.cancel()
            #expect(try await reader.value == 0)
        }
    }

    /// A restarted server keeps no watch history from before: a watch from an older
    /// resourceVersion is `410 Expired`, the signal to relist.
    @Test func watchFromBeforeARestartIsExpired() async throws {
        let storage = "sqlite://" + (try scratchDirectory()) + "/db.sqlite"
        var options = InProcessCluster.Options()
        options.storageURL = storage
        let old = try await InProcessCluster.withCluster(options) { cluster in
            let configMaps = cluster.client.resource(TestConfigMap.self, namespace: "default")
            let first = try await configMaps.create(TestConfigMap(namespace: "default", name: "x", data: [:]))
            _ = try await configMaps.create(TestConfigMap(namespace: "default", name: "y", data: [:]))
            return first.metadata?.resourceVersion ?? ""
        }
        try await InProcessCluster.withCluster(options) { cluster in
            let configMaps = cluster.client.resource(TestConfigMap.self, namespace: "default")
            let error = await #expect(throws: APIError.self) {
                for try await event in try await configMaps.watch(ListOptions(resourceVersion: old)) {
                    if case .error(let status) = event { throw status }
                }
            }
            #expect(error?.isGoneOrExpired == true)
        }
    }

    @Test func watchEndsWhenTheServerClosesIt() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.resource(TestConfigMap.self, namespace: "default")
            var count = 0
            for try await _ in try await configMaps.watch(ListOptions(timeoutSeconds: 1)) { count += 1 }
            #expect(count == 0)
        }
    }

    @Test func scaleSubresource() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let deployments = client.dynamic.resource(GroupVersionResource(group: "apps", version: "v1", resource: "deployments"))
                .namespace("default")
            _ = try await deployments.create([
                "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"],
                "spec": [
                    "replicas": 1, "selector": ["matchLabels": ["app": "web"]],
                    "template": [
                        "metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx"]]],
                    ],
                ],
            ])
            var scale = try await deployments.scale("web")
            #expect(scale.spec?.replicas == 1)
            scale.spec?.replicas = 3
            let updated = try await deployments.updateScale("web", scale)
            #expect(updated.spec?.replicas == 3)
            #expect(try await deployments.get("web")[path: "spec", "replicas"] == 3)
        }
    }

    @Test func discoveryAndMapping() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let groups = try await client.discovery.serverGroups()
            #expect(groups.first?.name == "")
            #expect(groups.contains { $0.name == "apps" && $0.versions.contains("v1") })
            let mapper = RESTMapper(discovery: client.discovery)
            let deployments = try await mapper.mapping(for: GroupKind(group: "apps", kind: "Deployment"))
            #expect(deployments.resource == GroupVersionResource(group: "apps", version: "v1", resource: "deployments"))
            #expect(deployments.namespaced)
            let namespaces = try await mapper.mapping(for: GroupVersionKind(group: "", version: "v1", kind: "Namespace"))
            #expect(namespaces.resource.resource == "namespaces")
            #expect(!namespaces.namespaced)
            let unknown = await #expect(throws: APIError.self) {
                try await mapper.mapping(for: GroupVersionKind(group: "", version: "v1", kind: "Nope"))
            }
            #expect(unknown?.isNotFound == true)
        }
    }
}
