import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting
import Testing

/// client-go's fake-client example in Swift: a unit test of informer-driven code against a fake
/// client. `FakeAPIServer` is Skiff's `fake.NewSimpleClientset`: the real API server on memory
/// storage, in the same process, with no socket, plus the actions the client sent.
struct FakeClientTests {
    /// The informer sees a pod created through the fake client, and the actions show what the
    /// informer and the test asked of the server.
    @Test func anInformerSeesAPodCreatedThroughTheFakeClient() async throws {
        // Unlike client-go's object tracker, the server checks that the namespace exists.
        try await FakeAPIServer.with(objects: [CoreV1.Namespace(metadata: ObjectMeta(name: "test-ns"))]) { fake in
            let factory = SharedInformerFactory(client: fake.client, namespace: "test-ns", logger: Logger(label: "fake-client"))
            let informer = factory.informer(for: CoreV1.Pod.self)
            let (added, input) = AsyncStream<String>.makeStream()
            _ = informer.addHandler { event in
                if case .added(let pod, _) = event { input.yield(pod.metadata?.name ?? "") }
            }
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await factory.run() }
                #expect(await factory.waitForCacheSync(), "the informer listed the (empty) namespace")
                let pod = CoreV1.Pod(
                    metadata: ObjectMeta(name: "my-pod", namespace: "test-ns"),
                    spec: CoreV1.PodSpec(containers: [CoreV1.Container(image: "busybox", name: "main")]))
                _ = try await fake.client.resource(CoreV1.Pod.self, namespace: "test-ns").create(pod)
                var names = added.makeAsyncIterator()
                #expect(await names.next() == "my-pod")
                #expect(informer.indexer.get(key: "test-ns/my-pod")?.spec?.containers.first?.terminationMessagePolicy == "File",
                        "the server's defaults reach the cache")
                group.cancelAll()
            }
            let verbs = fake.actions.filter { $0.resource == "pods" }.map(\.verb)
            #expect(verbs.prefix(2) == ["list", "watch"], "an informer lists, then watches: \(verbs)")
            #expect(verbs.contains("create"))
        }
    }

    /// A reactor makes the fake fail what a test needs failed (client-go's `PrependReactor`).
    @Test func aReactorInjectsAnError() async throws {
        try await FakeAPIServer.with { fake in
            fake.react(verb: "create", resource: "pods") { _ in .forbidden("pods are not allowed here") }
            let pods = fake.client.resource(CoreV1.Pod.self, namespace: "default")
            let error = await #expect(throws: APIError.self) {
                _ = try await pods.create(CoreV1.Pod(metadata: ObjectMeta(name: "p"), spec: CoreV1.PodSpec(containers: [])))
            }
            #expect(error?.code == 403)
            let stored = try await pods.list().items
            #expect(stored.isEmpty, "the refused create never reached storage")
        }
    }
}
