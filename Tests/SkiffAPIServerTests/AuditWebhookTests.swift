import Logging
import SkiffAPI
@testable import SkiffAPIServer
import SkiffTesting
import Synchronization
import Testing

/// The audit webhook backend: `EventList` bodies, batches by size and by wait, blocking mode,
/// the buffer's limit, and what is left sent at the end.
@Suite struct AuditWebhookTests {
    /// The bodies a webhook received, as the event IDs of each.
    final class Receiver: Sendable {
        let lists = Mutex<[[String]]>([])

        func send(_ body: [UInt8]) throws {
            let list = try JSONValue(parsing: body)
            #expect(list["kind"] == "EventList" && list["apiVersion"] == "audit.k8s.io/v1")
            lists.withLock { $0.append((list["items"]?.arrayValue ?? []).map { $0["auditID"]?.stringValue ?? "" }) }
        }

        var received: [[String]] { lists.withLock { $0 } }
    }

    static func event(_ id: String) -> AuditEvent {
        AuditEvent(level: .metadata, auditID: id, stage: .responseComplete, requestURI: "/api/v1/namespaces", verb: "list",
                   user: AuditPolicyTests.jane, sourceIPs: [], userAgent: nil, requestInfo: AuditPolicyTests.info("list", "namespaces"),
                   requestReceivedTimestamp: Timestamp(seconds: 1_700_000_000), stageTimestamp: Timestamp(seconds: 1_700_000_000))
    }

    static let logger = Logger(label: "audit-webhook-test", factory: { _ in SwiftLogNoOpLogHandler() })

    @Test func eventListHoldsTheEventsAsTheLogWritesThem() throws {
        let body = AuditWebhookBackend.eventList([Self.event("a"), Self.event("b")])
        let list = try JSONValue(parsing: body)
        #expect(list["metadata"] == .emptyObject)
        #expect(list["items"]?.arrayValue?.first == (try JSONValue(parsing: Self.event("a").jsonLine())))
    }

    @Test func batchesBySizeThenByWait() async throws {
        let clock = ManualClock()
        let receiver = Receiver()
        var batching = AuditWebhookBackend.Batching()
        batching.maxSize = 2
        batching.maxWait = .seconds(5)
        let backend = AuditWebhookBackend(mode: .batch, batching: batching, clock: clock, logger: Self.logger) { try receiver.send($0) }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await backend.run() }
            for id in ["1", "2", "3"] { await backend.record(Self.event(id)) }
            try await waitUntil("a full batch is sent") { receiver.received == [["1", "2"]] }
            // The third waits for the batch wait.
            try await waitUntil("the batch timer waits") { clock.sleeperCount == 1 }
            clock.advance(by: .seconds(5))
            try await waitUntil("the waiting event is sent") { receiver.received == [["1", "2"], ["3"]] }
            // What is buffered at the end is sent.
            await backend.record(Self.event("4"))
            backend.finish()
        }
        #expect(receiver.received == [["1", "2"], ["3"], ["4"]])
    }

    @Test func blockingModeSendsEachEventBeforeReturning() async {
        let receiver = Receiver()
        let closed = Mutex(false)
        let backend = AuditWebhookBackend(mode: .blocking, logger: Self.logger, send: { try receiver.send($0) }, close: { closed.withLock { $0 = true } })
        await backend.record(Self.event("1"))
        #expect(receiver.received == [["1"]])
        await backend.record(Self.event("2"))
        #expect(receiver.received == [["1"], ["2"]])
        // The sender is closed once the backend has ended.
        backend.finish()
        await backend.run()
        #expect(closed.withLock { $0 })
    }

    @Test func aFullBufferDropsNewEvents() async throws {
        let receiver = Receiver()
        var batching = AuditWebhookBackend.Batching()
        batching.bufferSize = 2
        let backend = AuditWebhookBackend(mode: .batch, batching: batching, clock: ManualClock(), logger: Self.logger) { try receiver.send($0) }
        for id in ["1", "2", "3"] { await backend.record(Self.event(id)) }
        backend.finish()
        await backend.run()
        #expect(receiver.received == [["1", "2"]])
    }
}
