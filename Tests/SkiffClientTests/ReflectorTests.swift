import Logging
import SkiffAPI
import SkiffTesting
import Synchronization
import Testing

@testable import SkiffClient

/// The reflector and shared informer over a scripted lister-watcher, on a manual clock.
struct ReflectorTests {
    static func object(_ name: String, _ resourceVersion: String) -> JSONValue {
        ["metadata": ["name": .string(name), "namespace": "ns", "resourceVersion": .string(resourceVersion)]]
    }

    /// Handler events as short strings, in order.
    final class Recorder: Sendable {
        private let events = Mutex<[String]>([])
        var all: [String] { events.withLock { $0 } }

        func record(_ event: InformerEvent<JSONValue>) {
            let text: String
            switch event {
            case .added(let object, let initial): text = "add \(object.name ?? "")@\(object.resourceVersion ?? "")\(initial ? " initial" : "")"
            case .updated(let old, let new): text = "update \(new.name ?? "")@\(old.resourceVersion ?? "")->\(new.resourceVersion ?? "")"
            case .deleted(.object(let object)): text = "delete \(object.name ?? "")"
            case .deleted(.finalStateUnknown(let key, _)): text = "tombstone \(key)"
            }
            events.withLock { $0.append(text) }
        }
    }

    func informer(_ source: FakeListerWatcher, clock: ManualClock) -> SharedInformer<JSONValue> {
        SharedInformer(
            source: source, identity: .unstructured, indexer: .objects(), clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @Test func listsPagesThenWatchesFromTheListsVersionFollowingBookmarks() async throws {
        let source = FakeListerWatcher()
        source.enqueueList([Self.object("a", "5")], resourceVersion: "10", continue: "page2")
        source.enqueueList([Self.object("b", "7")], resourceVersion: "10")
        let firstWatch = source.enqueueWatch()
        let secondWatch = source.enqueueWatch()
        let informer = informer(source, clock: ManualClock())
        let recorder = Recorder()
        informer.addHandler { recorder.record($0) }

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            #expect(await informer.waitForCacheSync())
            #expect(informer.indexer.listKeys().sorted() == ["ns/a", "ns/b"])
            #expect(source.listCalls.map(\.resourceVersion) == ["0", nil])
            #expect(source.listCalls.map(\.continue) == [nil, "page2"])
            #expect(source.listCalls.first?.limit == 500)

            try await waitUntil("the first watch") { source.watchCalls.count == 1 }
            #expect(source.watchCalls[0].resourceVersion == "10")
            #expect(source.watchCalls[0].allowWatchBookmarks)
            firstWatch.yield(.added(Self.object("c", "11")))
            firstWatch.yield(.modified(Self.object("a", "12")))
            firstWatch.yield(.bookmark(resourceVersion: "20", annotations: [:]))
            firstWatch.finish()

            try await waitUntil("the second watch") { source.watchCalls.count == 2 }
            #expect(source.watchCalls[1].resourceVersion == "20")
            secondWatch.yield(.deleted(Self.object("b", "21")))
            try await waitUntil("the delete") { recorder.all.count == 5 }
            #expect(recorder.all == ["add a@5 initial", "add b@7 initial", "add c@11", "update a@5->12", "delete b"])
            #expect(informer.lastSyncResourceVersion == "21")
            group.cancelAll()
        }
    }

    @Test func relistsAfterExpiredWithTombstonesForVanishedObjects() async throws {
        let source = FakeListerWatcher()
        source.enqueueList([Self.object("a", "5"), Self.object("b", "6")], resourceVersion: "10")
        let watch = source.enqueueWatch()
        source.enqueueList([Self.object("a", "30"), Self.object("c", "31")], resourceVersion: "40")
        _ = source.enqueueWatch()
        let informer = informer(source, clock: ManualClock())
        let recorder = Recorder()
        informer.addHandler { recorder.record($0) }

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            try await waitUntil("the first watch") { source.watchCalls.count == 1 }
            watch.yield(.error(APIError.expired("too old resource version: 10 (25)")))
            try await waitUntil("the watch after the relist") { source.watchCalls.count == 2 }
            // The relist is a consistent read (no resourceVersion), and the watch resumes from it.
            #expect(source.listCalls.map(\.resourceVersion) == ["0", nil])
            #expect(source.watchCalls[1].resourceVersion == "40")
            try await waitUntil("the relist's events") { recorder.all.count == 5 }
            #expect(recorder.all == ["add a@5 initial", "add b@6 initial", "update a@5->30", "add c@31", "tombstone ns/b"])
            #expect(informer.indexer.listKeys().sorted() == ["ns/a", "ns/c"])
            group.cancelAll()
        }
    }

    @Test func backsOffOnTheClockAfterFailures() async throws {
        let source = FakeListerWatcher()
        source.enqueueList([], resourceVersion: "3")
        source.enqueueWatchFailure(ClientError(.transport, "connection refused"))
        source.enqueueWatchFailure(ClientError(.transport, "connection refused"))
        _ = source.enqueueWatch()
        let clock = ManualClock()
        let informer = informer(source, clock: clock)

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            try await waitUntil("the first back-off") { clock.sleeperCount == 1 }
            #expect(source.watchCalls.count == 1)
            clock.advance(by: .milliseconds(799))
            #expect(source.watchCalls.count == 1)
            clock.advance(by: .milliseconds(1))
            try await waitUntil("the second back-off") { source.watchCalls.count == 2 && clock.sleeperCount == 1 }
            // Doubled: 1.6 s.
            clock.advance(by: .milliseconds(1599))
            #expect(source.watchCalls.count == 2)
            clock.advance(by: .milliseconds(1))
            try await waitUntil("the third watch") { source.watchCalls.count == 3 }
            // Failed watches do not cost a relist.
            #expect(source.listCalls.count == 1)
            #expect(source.watchCalls.allSatisfy { $0.resourceVersion == "3" })
            group.cancelAll()
        }
    }

    @Test func lateHandlersGetSyntheticAdds() async throws {
        let source = FakeListerWatcher()
        source.enqueueList([Self.object("a", "5")], resourceVersion: "10")
        let watch = source.enqueueWatch()
        let informer = informer(source, clock: ManualClock())

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            #expect(await informer.waitForCacheSync())
            let late = Recorder()
            informer.addHandler { late.record($0) }
            watch.yield(.added(Self.object("b", "11")))
            try await waitUntil("the late handler's events") { late.all.count == 2 }
            #expect(late.all == ["add a@5 initial", "add b@11"])
            group.cancelAll()
        }
    }
}

extension ReflectorTests {
    @Test func resyncRedeliversEveryObject() async throws {
        let source = FakeListerWatcher()
        source.enqueueList([Self.object("a", "5")], resourceVersion: "10")
        _ = source.enqueueWatch()
        let clock = ManualClock()
        var configuration = ReflectorConfiguration()
        configuration.resyncPeriod = .seconds(30)
        let informer = SharedInformer(
            source: source, identity: .unstructured, indexer: .objects(), configuration: configuration, clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let recorder = Recorder()
        informer.addHandler { recorder.record($0) }

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            try await waitUntil("the initial add") { recorder.all.count == 1 }
            try await waitUntil("the resync timer") { clock.sleeperCount == 1 }
            clock.advance(by: .seconds(30))
            try await waitUntil("the resync") { recorder.all.count == 2 }
            #expect(recorder.all == ["add a@5 initial", "update a@5->5"])
            group.cancelAll()
        }
    }
}

extension ReflectorTests {
    @Test func aWatchEndedAtOnceBacksOff() async throws {
        let source = FakeListerWatcher()
        source.enqueueList([], resourceVersion: "3")
        source.enqueueWatch().finish()
        _ = source.enqueueWatch()
        let clock = ManualClock()
        let informer = informer(source, clock: clock)

        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await informer.run() }
            try await waitUntil("the back-off") { clock.sleeperCount == 1 }
            #expect(source.watchCalls.count == 1)
            clock.advance(by: .milliseconds(800))
            try await waitUntil("the second watch") { source.watchCalls.count == 2 }
            #expect(source.listCalls.count == 1)
            group.cancelAll()
        }
    }
}
