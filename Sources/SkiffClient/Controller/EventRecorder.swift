import Logging
import SkiffAPI
import SkiffModels
import Synchronization

/// The object an event is about (`core/v1 ObjectReference`).
public struct ObjectReference: Sendable, Hashable {
    public var apiVersion: String
    public var kind: String
    public var namespace: String
    public var name: String
    public var uid: String
    public var resourceVersion: String
    /// The part of the object the event is about, e.g. `spec.containers{app}` (empty: all of it).
    public var fieldPath: String

    public init(
        apiVersion: String, kind: String, namespace: String = "", name: String, uid: String = "", resourceVersion: String = "",
        fieldPath: String = ""
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }

    /// A reference to an unstructured object.
    public init(_ object: JSONValue) {
        self.init(
            apiVersion: object.apiVersion ?? "", kind: object.kind ?? "", namespace: object.namespace ?? "", name: object.name ?? "",
            uid: object.uid ?? "", resourceVersion: object.resourceVersion ?? "")
    }

    /// A reference to a typed object.
    public init<Object: KubernetesObject>(_ object: Object) {
        self.init(
            apiVersion: Object.groupVersionKind.groupVersion.apiVersion, kind: Object.groupVersionKind.kind,
            namespace: object.namespace, name: object.name, uid: object.metadata?.uid ?? "",
            resourceVersion: object.metadata?.resourceVersion ?? "")
    }

    var json: JSONValue {
        var reference: JSONValue = ["apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name)]
        if !namespace.isEmpty { reference["namespace"] = .string(namespace) }
        if !uid.isEmpty { reference["uid"] = .string(uid) }
        if !resourceVersion.isEmpty { reference["resourceVersion"] = .string(resourceVersion) }
        if !fieldPath.isEmpty { reference["fieldPath"] = .string(fieldPath) }
        return reference
    }
}

/// `Normal` or `Warning`.
public struct EventType: RawRepresentable, Sendable, Hashable {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let normal = EventType(rawValue: "Normal")
    public static let warning = EventType(rawValue: "Warning")
}

/// Writes core/v1 Events about objects, as `kubectl describe` shows them (client-go's
/// `record.EventRecorder` with its broadcaster): `record` only queues the event, stamped with the
/// time it happened, and returns at once; one task writes the queue in order, so a controller is
/// never held up by event writes. What was queued is written even when the recorder itself is
/// released at once (`manager.eventRecorder().record(…)`). The same event again for the same
/// object bumps the existing Event's `count` and `lastTimestamp` instead of creating another. As
/// upstream's broadcaster, the queue holds at most 1,000 events and drops new ones while full.
/// Failures are logged, never thrown: events are best effort.
public actor EventRecorder {
    /// What the queue holds: an event to write, or a caller of `flush` to resume once every
    /// event queued before it is written.
    private enum Queued: Sendable {
        case event(ObjectReference, EventType, reason: String, message: String, at: Timestamp)
        case barrier(CheckedContinuation<Void, Never>)
    }

    private let clock: any TimestampClock
    private let logger: Logger
    private nonisolated let queue: AsyncStream<Queued>.Continuation
    /// How many events may wait to be written (client-go's `maxQueuedEvents`).
    private static let queueLimit = 1000

    /// A recorder writing as `component` (the events' `source.component`, e.g. `my-controller`),
    /// stamping events with `clock`'s time.
    public init(client: DynamicClient, component: String, clock: any TimestampClock = SystemClock(), logger: Logger) {
        self.clock = clock
        self.logger = logger
        let (stream, queue) = AsyncStream<Queued>.makeStream(bufferingPolicy: .bufferingOldest(Self.queueLimit))
        self.queue = queue
        // The task owns the writer, not the recorder: it drains the queue after the recorder is gone.
        let writer = EventWriter(events: client.resource(CoreV1.Event.groupVersionResource), component: component, logger: logger)
        Task {
            for await item in stream {
                switch item {
                case .event(let object, let type, let reason, let message, let time):
                    await writer.write(object, type: type, reason: reason, message: message, at: time)
                case .barrier(let waiter):
                    waiter.resume()
                }
            }
        }
    }

    deinit {
        queue.finish()
    }

    /// Queues an event about `object`, stamped with the current time; returns at once (an event
    /// that finds the queue full is dropped, and logged).
    public nonisolated func record(_ object: ObjectReference, type: EventType = .normal, reason: String, message: String) async {
        if case .dropped = queue.yield(.event(object, type, reason: reason, message: message, at: clock.now)) {
            logger.warning("event queue full: event dropped", metadata: ["reason": "\(reason)", "object": "\(object.name)"])
        }
    }

    /// Returns once every event recorded before the call has been written (or failed to be).
    public nonisolated func flush() async {
        await withCheckedContinuation { waiter in
            switch queue.yield(.barrier(waiter)) {
            case .enqueued: break
            // The barrier itself was dropped (the queue is full) or the recorder is gone.
            case .dropped, .terminated: waiter.resume()
            @unknown default: waiter.resume()
            }
        }
    }
}

/// Writes a recorder's events one after another, aggregating repeats.
private actor EventWriter {
    private struct Identity: Hashable {
        var object: ObjectReference
        var type: EventType
        var reason: String
        var message: String
    }

    private struct Recorded {
        var name: String
        var namespace: String
        var count: Int64
    }

    private let events: ResourceClient<JSONValue>
    private let component: String
    private let logger: Logger
    private var recorded: [Identity: Recorded] = [:]
    /// How many distinct events are remembered for aggregation (client-go's cache holds 4096).
    private static let rememberedEvents = 4096
    /// Added to the nanoseconds of an event's name, so that no two events this process writes
    /// share a name.
    private static let sequence = Atomic<UInt64>(0)

    init(events: ResourceClient<JSONValue>, component: String, logger: Logger) {
        self.events = events
        self.component = component
        self.logger = logger
    }

    /// Writes one event: a new Event, or the bumped count of the same event written before.
    func write(_ object: ObjectReference, type: EventType, reason: String, message: String, at now: Timestamp) async {
        let identity = Identity(object: object, type: type, reason: reason, message: message)
        // Cluster-scoped objects' events live in `default`, as upstream.
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        if let previous = recorded[identity] {
            let count = previous.count + 1
            recorded[identity]?.count = count
            do {
                _ = try await events.namespace(previous.namespace).patch(
                    previous.name, type: .merge, patch: ["count": .int(count), "lastTimestamp": .string(now.rfc3339)])
                return
            } catch let error as APIError where error.isNotFound {
                // The aggregated event expired or was deleted: write it anew.
                recorded[identity] = nil
            } catch {
                logger.warning("could not update an event", metadata: ["reason": "\(reason)", "error": "\(error)"])
                return
            }
        }
        // Upstream's `<object>.<hex nanoseconds>`, made unique within the process by a sequence:
        // recorders on one injected (manual) clock may write at the same instant.
        let nanoseconds = UInt64(now.seconds) * 1_000_000_000 + UInt64(now.nanoseconds)
        let name = "\(object.name).\(String(nanoseconds &+ Self.sequence.add(1, ordering: .relaxed).oldValue, radix: 16))"
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["name": .string(name), "namespace": .string(namespace)],
            "involvedObject": object.json, "reason": .string(reason), "message": .string(message), "type": .string(type.rawValue),
            "source": ["component": .string(component)], "reportingComponent": .string(component),
            "firstTimestamp": .string(now.rfc3339), "lastTimestamp": .string(now.rfc3339), "count": 1,
        ]
        do {
            _ = try await events.namespace(namespace).create(event)
            if recorded.count >= Self.rememberedEvents { recorded.removeAll() }
            recorded[identity] = Recorded(name: name, namespace: namespace, count: 1)
        } catch {
            logger.warning("could not write an event", metadata: ["reason": "\(reason)", "error": "\(error)"])
        }
    }
}
