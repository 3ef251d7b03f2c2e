import Foundation
import SkiffAPI
import SkiffRegistry
import Testing

@Suite struct ResourceStoreTests {
    @Test func createFillsSystemMetadataAndRejectsDuplicates() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            let created = try await store.create(namespace: "test", object: configMap("a"))
            #expect(created.uid?.count == 36)
            #expect(created.resourceVersion != nil)
            #expect(created[path: "metadata", "creationTimestamp"]?.stringValue?.hasSuffix("Z") == true)
            #expect(created.generation == nil, "configmaps do not track generation, as upstream")
            do {
                _ = try await store.create(namespace: "test", object: configMap("a"))
                Issue.record("a duplicate was created")
            } catch let error as APIError {
                #expect(error.code == 409)
                #expect(error.reason == .alreadyExists)
                #expect(error.message == #"configmaps "a" already exists"#)
            }
        }
    }

    /// (Missing namespaces are admission's: SkiffAPIServerTests.AdmissionTests.)
    @Test func invalidNamesAreRefused() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            do {
                _ = try await store.create(namespace: "test", object: configMap("Bad_Name"))
                Issue.record("created")
            } catch let error as APIError {
                #expect(error.code == 422)
                #expect(error.details?.causes.first?.field == "metadata.name")
                #expect(error.message.hasPrefix(#"ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name""#))
            }
            let generated = try await store.create(namespace: "test", object: ["metadata": ["generateName": "gen-"]])
            #expect(generated.name?.hasPrefix("gen-") == true)
            #expect(generated.name?.count == 9)
        }
    }

    @Test func staleUpdatesConflictAndNothingIsWritten() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            let created = try await store.create(namespace: "test", object: configMap("a"))
            var first = created
            first["data"] = ["k": "first"]
            let updated = try await store.update(namespace: "test", name: "a", object: first)
            #expect(Int(updated.resourceVersion!)! > Int(created.resourceVersion!)!)
            var stale = created
            stale["data"] = ["k": "stale"]
            do {
                _ = try await store.update(namespace: "test", name: "a", object: stale)
                Issue.record("a stale update succeeded")
            } catch let error as APIError {
                #expect(error.code == 409)
                #expect(error.reason == .conflict)
            }
            #expect(try await store.get(namespace: "test", name: "a")["data"] == ["k": "first"])
            var unconditional = stale
            unconditional.resourceVersion = nil
            _ = try await store.update(namespace: "test", name: "a", object: unconditional)
            #expect(try await store.get(namespace: "test", name: "a")["data"] == ["k": "stale"])
        }
    }

    @Test func generationFollowsSpecOnlyAndStatusIsSeparate() async throws {
        try await withRegistry { registry in
            let store = try registry.store(GroupResource(group: "apps", resource: "deployments"))
            let deployment: JSONValue = [
                "metadata": ["name": "web"],
                "spec": ["selector": ["matchLabels": ["app": "web"]],
                         "template": ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]],
                "status": ["replicas": 5],
            ]
            let created = try await store.create(namespace: "test", object: deployment)
            #expect(created.generation == 1)
            #expect(created[path: "spec", "replicas"] == 1)
            #expect(created[path: "status", "replicas"] == nil, "status is reset on create")
            var relabeled = created
            relabeled.labels = ["x": "y"]
            #expect(try await store.update(namespace: "test", name: "web", object: relabeled).generation == 1)
            var withStatus = created
            withStatus[path: "status", "replicas"] = 3
            withStatus[path: "spec", "replicas"] = 9
            withStatus.resourceVersion = nil
            let statusWritten = try await store.update(namespace: "test", name: "web", object: withStatus, target: .status)
            #expect(statusWritten[path: "status", "replicas"] == 3)
            #expect(statusWritten[path: "spec", "replicas"] == 1, "a status write ignores the spec")
            var scaled = statusWritten
            scaled[path: "spec", "replicas"] = 4
            let bumped = try await store.update(namespace: "test", name: "web", object: scaled)
            #expect(bumped.generation == 2)
            #expect(bumped[path: "status", "replicas"] == 3, "a main write keeps the status")
        }
    }

    @Test func finalizersHoldDeletionUntilRemoved() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            _ = try await store.create(namespace: "test", object: configMap("held", finalizers: ["example.com/x"]))
            guard case .pending(let pending) = try await store.delete(namespace: "test", name: "held") else {
                Issue.record("deleted at once")
                return
            }
            #expect(pending.deletionTimestamp != nil)
            #expect(try await store.get(namespace: "test", name: "held").deletionTimestamp != nil)
            var cleared = pending
            cleared.finalizers = []
            _ = try await store.update(namespace: "test", name: "held", object: cleared)
            await #expect(throws: APIError.self) { try await store.get(namespace: "test", name: "held") }
        }
    }

    @Test func propagationPoliciesAddGarbageCollectorFinalizers() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            _ = try await store.create(namespace: "test", object: configMap("o"))
            var options = DeleteOptions()
            options.propagationPolicy = .orphan
            guard case .pending(let orphaned) = try await store.delete(namespace: "test", name: "o", options: options) else {
                Issue.record("deleted at once")
                return
            }
            #expect(orphaned.finalizers == ["orphan"])
            _ = try await store.create(namespace: "test", object: configMap("f"))
            options.propagationPolicy = .foreground
            guard case .pending(let foreground) = try await store.delete(namespace: "test", name: "f", options: options) else {
                Issue.record("deleted at once")
                return
            }
            #expect(foreground.finalizers == ["foregroundDeletion"])
        }
    }

    @Test func deletePreconditions() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            let created = try await store.create(namespace: "test", object: configMap("p"))
            var options = DeleteOptions()
            options.preconditions = .init(uid: "wrong")
            await #expect(throws: APIError.self) { try await store.delete(namespace: "test", name: "p", options: options) }
            options.preconditions = .init(uid: created.uid)
            guard case .deleted = try await store.delete(namespace: "test", name: "p", options: options) else {
                Issue.record("not deleted")
                return
            }
        }
    }

    @Test func pagedListsAreConsistentSnapshots() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            for index in 0..<12 { _ = try await store.create(namespace: "test", object: configMap(String(format: "cm-%02d", index))) }
            var options = ListOptions()
            options.limit = 5
            let first = try await store.list(namespace: "test", options: options)
            #expect(first.items.count == 5)
            #expect(first.remainingItemCount == 7)
            _ = try await store.create(namespace: "test", object: configMap("cm-late"))
            var names = first.items.map(\.name)
            var token = first.continueToken
            while let next = token {
                options.continue = next
                let page = try await store.list(namespace: "test", options: options)
                #expect(page.revision == first.revision)
                names += page.items.map(\.name)
                token = page.continueToken
            }
            #expect(names == (0..<12).map { String(format: "cm-%02d", $0) })
        }
    }

    @Test func unsupportedFieldSelectorsAreBadRequests() async throws {
        try await withRegistry { registry in
            var options = ListOptions()
            options.fieldSelector = "spec.nodeName=n1"
            do {
                _ = try await registry.configMaps.list(namespace: "test", options: options)
                Issue.record("listed")
            } catch let error as APIError {
                #expect(error.code == 400)
                #expect(error.message == "field label not supported: spec.nodeName")
            }
            let pods = try registry.store(GroupResource(group: "", resource: "pods"))
            _ = try await pods.list(namespace: "test", options: options)
        }
    }

    @Test func watchDeliversSelectorTransitions() async throws {
        try await withRegistry { registry in
            let store = try registry.configMaps
            _ = try await store.create(namespace: "test", object: configMap("w", labels: ["env": "prod"]))
            var options = ListOptions()
            options.labelSelector = "env=prod"
            let list = try await store.list(namespace: "test", options: options)
            options.resourceVersion = String(list.revision)
            let subscription = try await store.watch(namespace: "test", options: options)
            var object = try await store.get(namespace: "test", name: "w")
            object.labels = ["env": "dev"]
            _ = try await store.update(namespace: "test", name: "w", object: object)
            object = try await store.get(namespace: "test", name: "w")
            object.labels = ["env": "prod"]
            _ = try await store.update(namespace: "test", name: "w", object: object)
            var kinds: [WatchCacheEvent.Kind] = []
            for await event in subscription.events {
                kinds.append(event.kind)
                if kinds.count == 2 { break }
            }
            #expect(kinds == [.deleted, .added])
        }
    }

    @Test func watchFromTooOldRevisionExpires() async throws {
        try await withRegistry(historyCapacity: 2) { registry in
            let store = try registry.configMaps
            for index in 0..<5 { _ = try await store.create(namespace: "test", object: configMap("x\(index)")) }
            try await store.cache.waitUntilFresh(try await registry.storage.currentRevision())
            var options = ListOptions()
            options.resourceVersion = "1"
            do {
                _ = try await store.watch(namespace: "test", options: options)
                Issue.record("watched")
            } catch let error as APIError {
                #expect(error.code == 410)
                #expect(error.reason == .expired)
            }
        }
    }
}
