import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting
import Testing

/// The generated accessors (`client.core.v1.configMaps("ns")`) over the generated models, and
/// server-side apply through the typed client.
@Suite(.serialized)
struct TypedAccessorTests {
    @Test func generatedAccessorsServeGeneratedModels() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let deployment = AppsV1.Deployment(
                metadata: ObjectMeta(name: "web", namespace: "default"),
                spec: AppsV1.DeploymentSpec(
                    replicas: 2, selector: MetaV1.LabelSelector(matchLabels: ["app": "web"]),
                    template: CoreV1.PodTemplateSpec(
                        metadata: ObjectMeta(labels: ["app": "web"]),
                        spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx:1.27", name: "nginx")]))))
            let created = try await client.apps.v1.deployments("default").create(deployment)
            #expect(created.spec?.strategy?.type == "RollingUpdate", "server defaults come back typed")
            #expect(created.spec?.template.spec?.containers.first?.imagePullPolicy == "IfNotPresent")
            let all = try await client.apps.v1.deployments().list()
            #expect(all.items.map(\.name) == ["web"])
            let namespaces = try await client.core.v1.namespaces().list()
            #expect(namespaces.items.map(\.name).contains("kube-system"))
        }
    }

    @Test func serverSideApplyConflictsAndForce() async throws {
        try await InProcessCluster.withCluster { cluster in
            let client = cluster.client
            let configMaps = client.core.v1.configMaps("default")
            let config = CoreV1.ConfigMap(data: ["a": "1"], metadata: ObjectMeta(name: "applied", namespace: "default"))
            let applied = try await configMaps.apply(config, fieldManager: "first")
            #expect(applied.metadata?.managedFields?.map(\.manager) == ["first"])
            let conflict = await #expect(throws: APIError.self) {
                try await configMaps.apply(CoreV1.ConfigMap(data: ["a": "2"], metadata: ObjectMeta(name: "applied", namespace: "default")),
                                           fieldManager: "second")
            }
            #expect(conflict?.isConflict == true)
            #expect(conflict?.details?.causes.map(\.field) == [".data.a"])
            let forced = try await configMaps.apply(
                CoreV1.ConfigMap(data: ["a": "2"], metadata: ObjectMeta(name: "applied", namespace: "default")),
                fieldManager: "second", force: true)
            #expect(forced.data == ["a": "2"])
            #expect(Set(forced.metadata?.managedFields?.map(\.manager) ?? []) == ["second"], "first lost its only field")
        }
    }

    @Test func informersCanLeaveManagedFieldsOutAndTheirUpdatesKeepThem() async throws {
        try await InProcessCluster.withCluster { cluster in
            let configMaps = cluster.client.core.v1.configMaps("default")
            let trimmed = configMaps.strippingManagedFields()
            let created = try await configMaps.create(CoreV1.ConfigMap(data: ["a": "1"], metadata: ObjectMeta(name: "cached", namespace: "default")))
            #expect(created.metadata?.managedFields?.isEmpty == false)
            let watch = try await trimmed.watch(ListOptions(resourceVersion: "0"))
            var events = watch.makeAsyncIterator()
            guard case .added(let watched)? = try await events.next() else { Issue.record("no ADDED event"); return }
            #expect(watched.name == "cached" && watched.metadata?.managedFields == nil)
            let listed = try await trimmed.list()
            #expect(listed.items.map(\.name) == ["cached"] && listed.items.allSatisfy { $0.metadata?.managedFields == nil })
            let dynamic = try await cluster.client.dynamic.resource(CoreV1.ConfigMap.groupVersionResource).namespace("default")
                .strippingManagedFields().get("cached")
            #expect(dynamic[path: "metadata", "managedFields"] == nil && dynamic[path: "data", "a"] == "1")

            // An update of the trimmed object keeps the stored entries and records the change.
            var cached = try await trimmed.get("cached")
            cached.data = ["a": "2"]
            var options = UpdateOptions()
            options.fieldManager = "second"
            let updated = try await configMaps.update(cached, options: options)
            let managers = Set(updated.metadata?.managedFields?.compactMap(\.manager) ?? [])
            #expect(managers == Set((created.metadata?.managedFields?.compactMap(\.manager) ?? []) + ["second"]))
            // An empty list still resets them, as upstream.
            var reset = updated
            reset.metadata?.managedFields = []
            reset.data = ["a": "3"]
            #expect(try await configMaps.update(reset).metadata?.managedFields == nil)
        }
    }
}
