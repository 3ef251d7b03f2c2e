import Logging
import ServiceLifecycle
import SkiffAPI
import Synchronization

/// The audit webhook (`--audit-webhook-config-file`): events POSTed as an `audit.k8s.io/v1`
/// `EventList`. In `batch` mode (upstream's default) requests hand events over without waiting;
/// they are sent when `maxSize` are buffered or every `maxWait`, and dropped (and logged) when
/// `bufferSize` are waiting. In `blocking` and `blocking-strict` modes each event is sent before
/// the request goes on (a failed send is logged; upstream's strict mode fails the request at
/// `RequestReceived`, which Skiff does not do). On graceful shutdown the buffered events are sent.
public final class AuditWebhookBackend: AuditSink {
    /// `--audit-webhook-mode`.
    public enum Mode: String, Sendable, CaseIterable {
        case batch
        case blocking
        case blockingStrict = "blocking-strict"
    }

    /// `--audit-webhook-batch-*`, with upstream's defaults.
    public struct Batching: Sendable {
        /// Events waiting to be sent before new ones are dropped.
        public var bufferSize = 10_000
        /// Events sent in one request at most.
        public var maxSize = 400
        /// How long an event waits at most before its batch is sent.
        public var maxWait: Duration = .seconds(30)

        public init() {}
    }

    /// Sends one `EventList` body; throws when the webhook did not take it.
    public typealias Send = @Sendable (_ body: [UInt8]) async throws -> Void

    private let mode: Mode
    private let batching: Batching
    private let send: Send
    private let close: @Sendable () async -> Void
    private let clock: any TimestampClock
    private let logger: Logger
    private let buffer = Mutex<[AuditEvent]>([])
    private let batches: AsyncStream<[AuditEvent]>
    private let continuation: AsyncStream<[AuditEvent]>.Continuation

    /// A backend sending with `send`; `close` runs once `run` has sent the last batch (the
    /// client's shutdown).
    public init(mode: Mode, batching: Batching = Batching(), clock: any TimestampClock = SystemClock(), logger: Logger,
                send: @escaping Send, close: @escaping @Sendable () async -> Void = {}) {
        self.mode = mode
        self.batching = batching
        self.send = send
        self.close = close
        self.clock = clock
        self.logger = logger
        (batches, continuation) = AsyncStream.makeStream(of: [AuditEvent].self)
    }

    public func record(_ event: AuditEvent) async {
        guard mode == .batch else {
            await post([event])
            return
        }
        let (full, dropped) = buffer.withLock { buffer -> ([AuditEvent]?, Bool) in
            guard buffer.count < batching.bufferSize else { return (nil, true) }
            buffer.append(event)
            guard buffer.count >= batching.maxSize else { return (nil, false) }
            defer { buffer.removeAll() }
            return (buffer, false)
        }
        if dropped { logger.error("audit webhook buffer full: event dropped", metadata: ["auditID": "\(event.auditID)"]) }
        if let full { continuation.yield(full) }
    }

    /// Sends batches until graceful shutdown (or `finish()`), then the events still buffered,
    /// then closes the sender.
    public func run() async {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if mode == .batch {
                    group.addTask { [self] in
                        while true {
                            do { try await clock.sleep(for: batching.maxWait) } catch { return }
                            flush()
                        }
                    }
                }
                for await batch in batches { await post(batch) }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            self.finish()
        }
        await close()
    }

    /// Sends what is buffered and ends the batches (events recorded later are not sent).
    public func finish() {
        flush()
        continuation.finish()
    }

    /// Hands the buffered events over as one batch.
    private func flush() {
        let pending = buffer.withLock { buffer in
            defer { buffer.removeAll() }
            return buffer
        }
        if !pending.isEmpty { continuation.yield(pending) }
    }

    private func post(_ events: [AuditEvent]) async {
        do {
            try await send(Self.eventList(events))
        } catch {
            logger.error("cannot send audit events to the webhook", metadata: ["events": "\(events.count)", "error": "\(error)"])
        }
    }

    /// The `EventList` of `events`, each as the log writes it.
    static func eventList(_ events: [AuditEvent]) -> [UInt8] {
        var body = Array(#"{"kind":"EventList","apiVersion":"audit.k8s.io/v1","metadata":{},"items":["#.utf8)
        for (index, event) in events.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += event.jsonLine().dropLast()
        }
        body += Array("]}".utf8)
        return body
    }
}

/// Every audit backend configured (the log and the webhook), as upstream's union backend.
public struct AuditSinks: AuditSink {
    let sinks: [any AuditSink]

    public init(_ sinks: [any AuditSink]) {
        self.sinks = sinks
    }

    public func record(_ event: AuditEvent) async {
        for sink in sinks { await sink.record(event) }
    }

    public func run() async {
        await withDiscardingTaskGroup { group in
            for sink in sinks { group.addTask { await sink.run() } }
        }
    }
}
