import CoreMetrics
import NIOHTTP1
import SkiffAPI
import SkiffRegistry

/// Streams a watch: the initial events, then live events, as newline-delimited JSON or
/// length-prefixed protobuf frames, until the timeout, the client leaving, or the cache closing
/// the watch (the client then re-watches).
struct WatchStreamer: Sendable {
    let encoder: ResponseEncoder
    let subscription: WatchSubscription
    let options: ListOptions

    /// Upstream's default: a random timeout between the minimum request timeout and twice it.
    static let defaultTimeoutSeconds = 1800

    func response() -> HTTPResponse {
        let contentType = encoder.watchContentType
        let timeout = options.timeoutSeconds ?? Int.random(in: Self.defaultTimeoutSeconds...(2 * Self.defaultTimeoutSeconds))
        return HTTPResponse(status: .ok, headers: ["Content-Type": contentType], body: .stream { writer in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await stream(to: writer) }
                group.addTask { try await Task.sleep(for: .seconds(timeout)) }
                try await group.next()
                group.cancelAll()
            }
        })
    }

    private func stream(to writer: ResponseBodyWriter) async throws {
        var buffer: [UInt8] = []
        for event in subscription.initialEvents {
            if let frame = frame(for: event) { buffer += frame }
            if buffer.count > 64 * 1024 {
                try await writer.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if options.sendInitialEvents == true {
            buffer += bookmark(revision: subscription.revision, initialEventsEnd: true)
        }
        if !buffer.isEmpty { try await writer.write(buffer) }
        for await event in subscription.events {
            guard let frame = frame(for: event) else { continue }
            try await writer.write(frame)
        }
    }

    /// The event's frame, counted in `apiserver_watch_events_total` (group, version, resource);
    /// nil for what this watch does not send.
    private func frame(for event: WatchCacheEvent) -> [UInt8]? {
        guard let frame = encodedFrame(for: event) else { return nil }
        let info = encoder.info
        Counter(label: "apiserver_watch_events_total", dimensions: [("group", info.group), ("version", info.version), ("resource", info.plural)]).increment()
        return frame
    }

    private func encodedFrame(for event: WatchCacheEvent) -> [UInt8]? {
        switch event.kind {
        case .added: return event.object.map { encoder.watchFrame(type: .added, object: $0) }
        case .modified: return event.object.map { encoder.watchFrame(type: .modified, object: $0) }
        case .deleted: return event.object.map { encoder.watchFrame(type: .deleted, object: $0) }
        case .bookmark: return options.allowWatchBookmarks ? bookmark(revision: event.revision, initialEventsEnd: false) : nil
        }
    }

    private func bookmark(revision: Int64, initialEventsEnd: Bool) -> [UInt8] {
        var metadata: JSONValue = ["resourceVersion": .string(String(revision)), "creationTimestamp": nil]
        if initialEventsEnd { metadata["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let info = encoder.info
        return encoder.watchFrame(type: .bookmark, value: ["kind": .string(info.kind), "apiVersion": .string(info.apiVersion), "metadata": metadata])
    }
}
