import SkiffAPI
import SkiffClient
import Testing

@Suite struct IndexerTests {
    private func pod(_ namespace: String, _ name: String, node: String, labels: [String: String] = [:]) -> JSONValue {
        var object: JSONValue = ["metadata": ["namespace": .string(namespace), "name": .string(name)], "spec": ["nodeName": .string(node)]]
        object.labels = labels
        return object
    }

    @Test func keysAndNamespaceIndex() {
        let store = Indexer.objects()
        store.add(pod("a", "p1", node: "n1"))
        store.add(pod("a", "p2", node: "n2"))
        store.add(pod("b", "p1", node: "n1"))
        #expect(store.count == 3)
        #expect(store.get(key: "a/p1")?.name == "p1")
        #expect(Set(store.byIndex(Indexer<JSONValue>.namespaceIndex, value: "a").compactMap(\.name)) == ["p1", "p2"])
        store.delete(key: "a/p2")
        #expect(store.byIndex(Indexer<JSONValue>.namespaceIndex, value: "a").count == 1)
        #expect(ObjectKey.split("a/p1") == ("a", "p1"))
        #expect(ObjectKey.split("node-1") == (nil, "node-1"))
    }

    @Test func customIndexFollowsUpdates() {
        let store = Indexer.objects(indexers: ["node": { [$0[path: "spec", "nodeName"]?.stringValue ?? ""] }])
        store.add(pod("a", "p1", node: "n1"))
        #expect(store.indexKeys("node", value: "n1") == ["a/p1"])
        store.add(pod("a", "p1", node: "n2"))
        #expect(store.indexKeys("node", value: "n1").isEmpty, "an update moves the object between index values")
        #expect(store.indexKeys("node", value: "n2") == ["a/p1"])
        let gone = store.replace([pod("b", "p9", node: "n2")])
        #expect(gone.compactMap(\.name) == ["p1"])
        #expect(store.index("node", matching: pod("x", "y", node: "n2")).compactMap(\.name) == ["p9"])
    }

    @Test func listersFilterByNamespaceAndSelector() throws {
        let store = Indexer.objects()
        store.add(pod("a", "web", node: "n1", labels: ["app": "web"]))
        store.add(pod("a", "db", node: "n1", labels: ["app": "db"]))
        store.add(pod("b", "web", node: "n1", labels: ["app": "web"]))
        let lister = Lister(indexer: store)
        #expect(lister.list(try LabelSelector(parsing: "app=web")).count == 2)
        #expect(lister.namespace("a").list(try LabelSelector(parsing: "app=web")).compactMap(\.name) == ["web"])
        #expect(lister.namespace("b").get("web") != nil)
        #expect(lister.namespace("b").get("db") == nil)
    }

    @Test func aControllerClaimsFromWhatItControlsAndTheOrphansOfItsNamespace() {
        func widget(_ namespace: String, _ name: String, controller: String?) -> TestWidget {
            let owner = controller.map { [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: $0, uid: $0, controller: true)] }
            return TestWidget(metadata: ObjectMeta(name: name, namespace: namespace, ownerReferences: owner))
        }
        let store = Indexer<TestWidget>.typedObjects()
        for object in [widget("a", "mine", controller: "rs-1"), widget("a", "theirs", controller: "rs-2"), widget("a", "loose", controller: nil),
                       widget("b", "elsewhere", controller: nil)] {
            store.add(object)
        }
        let lister = TypedLister(indexer: store).namespace("a")
        #expect(Set(lister.claimable(by: "rs-1").map(\.name)) == ["mine", "loose"])
        #expect(lister.controlled(by: "rs-2").map(\.name) == ["theirs"])
        // A change of controller moves the object between the index's values.
        store.add(widget("a", "loose", controller: "rs-2"))
        #expect(Set(lister.claimable(by: "rs-1").map(\.name)) == ["mine"])
        #expect(Set(lister.controlled(by: "rs-2").map(\.name)) == ["theirs", "loose"])
        // Without the index (a store made by hand), the namespace is searched.
        let plain = Indexer<TestWidget>(key: { $0.cacheKey }, indexers: [Indexer<JSONValue>.namespaceIndex: { [$0.namespace] }])
        plain.add(widget("a", "mine", controller: "rs-1"))
        #expect(TypedLister(indexer: plain).namespace("a").controlled(by: "rs-1").map(\.name) == ["mine"])
    }
}
