import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting
import Synchronization
import Testing

/// The fake client (SkiffTesting's `FakeAPIServer`): the real server's semantics with no
/// socket, the actions recorded, reactors that fail chosen requests.
struct FakeAPIServerTests {
    static func deployment(_ name: String, replicas: Int32 = 1) -> AppsV1.Deployment {
        AppsV1.Deployment(
            metadata: ObjectMeta(name: name, namespace: "default"),
            spec: AppsV1.DeploymentSpec(
                replicas: replicas, selector: MetaV1.LabelSelector(matchLabels: ["app": name]),
                template: CoreV1.PodTemplateSpec(
                    metadata: ObjectMeta(labels: ["app": name]),
                    spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx:1.27", name: "nginx")]))))
    }

    @Test func seedObjectsAreServedWithDefaultsAndOnlyLaterRequestsAreRecorded() async throws {
        try await FakeAPIServer.with(objects: [Self.deployment("web")]) { fake in
            #expect(fake.actions.isEmpty, "seeding is not an action: \(fake.actions)")
            let web = try await fake.client.apps.v1.deployments("default").get("web")
            #expect(web.spec?.strategy?.type == "RollingUpdate", "the server's defaults apply")
            #expect(web.metadata?.resourceVersion?.isEmpty == false)
            _ = try await fake.client.apps.v1.deployments("default").list()
            // A list the client retried (a loaded machine can time out a consistent read's wait
            // for the cache with a 504 and Retry-After) is recorded again, as a real request.
            let actions = fake.actions.map(\.description)
            #expect(actions.first == "get deployments default/web")
            #expect(actions.count >= 2 && actions.dropFirst().allSatisfy { $0 == "list deployments default" }, "\(actions)")
            fake.clearActions()
            #expect(fake.actions.isEmpty)
        }
    }

    @Test func aStaleUpdateConflictsAsOnARealServer() async throws {
        try await FakeAPIServer.with(objects: [Self.deployment("web")]) { fake in
            let deployments = fake.client.apps.v1.deployments("default")
            var first = try await deployments.get("web")
            var second = first
            first.spec?.replicas = 2
            _ = try await deployments.update(first)
            second.spec?.replicas = 3
            let error = await #expect(throws: APIError.self) { _ = try await deployments.update(second) }
            #expect(error?.code == 409)
            #expect(error?.isConflict == true)
        }
    }

    @Test func aReactorFailsChosenRequestsAndRetryOnConflictRecovers() async throws {
        try await FakeAPIServer.with(objects: [Self.deployment("web")]) { fake in
            let conflicts = Counter()
            fake.react(verb: "update", resource: "deployments") { action in
                guard conflicts.increment() <= 2 else { return nil }
                return .conflict(GroupResource(group: "apps", resource: "deployments"), name: action.name, message: "injected")
            }
            let deployments = fake.client.apps.v1.deployments("default")
            try await retryOnConflict {
                var web = try await deployments.get("web")
                web.spec?.replicas = 4
                _ = try await deployments.update(web)
            }
            #expect(try await deployments.get("web").spec?.replicas == 4)
            #expect(fake.actions.filter { $0.verb == "update" }.count == 3, "two injected conflicts, then the update that landed")
            let put = try #require(fake.actions.last { $0.verb == "update" })
            #expect(try JSONValue(parsing: put.body)[path: "spec", "replicas"] == 4)
        }
    }

    @Test func watchesStreamThroughTheInProcessTransport() async throws {
        try await FakeAPIServer.with { fake in
            let configMaps = fake.client.core.v1.configMaps("default")
            let stream = try await configMaps.watch()
            var events = stream.makeAsyncIterator()
            _ = try await configMaps.create(CoreV1.ConfigMap(data: ["k": "v"], metadata: ObjectMeta(name: "seen", namespace: "default")))
            let added = try #require(try await events.next())
            guard case .added(let object) = added else {
                Issue.record("expected ADDED, got \(added)")
                return
            }
            #expect(object.metadata?.name == "seen")
            // A watch the server answered with a retriable error (a 504 when the cache did not catch up
            // within 3 s on a loaded machine) is sent again by the client, as client-go does.
            let verbs = fake.actions.map(\.verb)
            #expect(verbs.first == "watch" && Array(verbs.drop { $0 == "watch" }) == ["create"], "\(fake.actions)")
        }
    }
}

/// A thread-safe count for reactors.
private final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new count.
    func increment() -> Int {
        value.withLock { value in
            value += 1
            return value
        }
    }
}
