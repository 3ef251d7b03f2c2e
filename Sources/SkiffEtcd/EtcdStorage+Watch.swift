import Foundation
import GRPCCore
import SkiffStorage
import SwiftProtobuf

extension EtcdStorage {
    /// How many batches a consumer may fall behind before its watch ends with `watchOverflow`.
    static let watchBufferLimit = 10_000

    /// Each watch is its own etcd watch stream (`prev_kv` set), whose responses are split into one
    /// batch per revision. Progress requests are sent on the same stream after the create request,
    /// so etcd answers them once the watch exists.
    public func watch(prefix: String, startRevision: Int64) -> WatchStream {
        let (stream, continuation) = WatchStream.makeStream(bufferingPolicy: .bufferingOldest(Self.watchBufferLimit))
        // Progress requests coalesce: one waiting is as good as many (etcd answers each on the stream).
        let (progress, progressContinuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        guard let id = watches.add(progress: progressContinuation) else {
            continuation.finish(throwing: StorageError(.unavailable, message: "the etcd store is closed"))
            return stream
        }
        let task = Task { [self] in
            defer { watches.remove(id) }
            do {
                try await runWatch(prefix: prefix, startRevision: startRevision, progress: progress, into: continuation)
                continuation.finish(throwing: StorageError(.unavailable, key: prefix, message: "etcd ended the watch stream"))
            } catch {
                if Task.isCancelled { continuation.finish() } else { continuation.finish(throwing: EtcdError.storageError(error, key: prefix)) }
            }
        }
        watches.attach(task, to: id)
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    public func requestWatchProgress() async {
        watches.requestProgress()
    }

    private func runWatch(
        prefix: String, startRevision: Int64, progress: AsyncStream<Void>, into continuation: WatchStream.Continuation
    ) async throws {
        var create = Etcdserverpb_WatchCreateRequest()
        create.key = prefix.isEmpty ? Data([0]) : etcdKey(prefix)
        create.rangeEnd = etcdRangeEnd(ofPrefix: prefix)
        create.startRevision = startRevision
        create.prevKv = true
        let createRequest = Etcdserverpb_WatchRequest.with { $0.requestUnion = .createRequest(create) }
        let progressRequest = Etcdserverpb_WatchRequest.with { $0.requestUnion = .progressRequest(Etcdserverpb_WatchProgressRequest()) }
        try await watchClient.watch(
            options: EtcdTransport.callOptions,
            requestProducer: { writer in
                try await writer.write(createRequest)
                for await _ in progress { try await writer.write(progressRequest) }
            },
            onResponse: { response in
                for try await message in response.messages {
                    for batch in try self.batches(of: message, startRevision: startRevision) {
                        if case .dropped = continuation.yield(batch) {
                            throw StorageError(.watchOverflow, key: prefix, message: "the watcher fell \(Self.watchBufferLimit) batches behind")
                        }
                    }
                }
            })
    }

    /// The batches one watch response carries: one per revision of its events, or a progress
    /// notification (an empty batch at etcd's current revision) when it has none.
    private func batches(of response: Etcdserverpb_WatchResponse, startRevision: Int64) throws -> [WatchBatch] {
        if response.canceled {
            if response.compactRevision > 0 {
                throw StorageError(
                    .compacted, message: "watch from revision \(startRevision): etcd history is compacted up to \(response.compactRevision)")
            }
            throw StorageError(.unavailable, message: "etcd cancelled the watch: \(response.cancelReason)")
        }
        if response.created { return [] }
        guard !response.events.isEmpty else { return [WatchBatch(events: [], revision: response.header.revision)] }
        var batches: [WatchBatch] = []
        for event in response.events.map(keyValueEvent) {
            if batches.last?.revision == event.revision {
                batches[batches.count - 1].events.append(event)
            } else {
                batches.append(WatchBatch(events: [event], revision: event.revision))
            }
        }
        return batches
    }

    /// An etcd event as the store's event: a delete carries the key's last value, stamped with
    /// the delete's revision.
    private func keyValueEvent(_ event: Mvccpb_Event) -> KeyValueEvent {
        let previous = event.hasPrevKv ? keyValue(event.prevKv) : nil
        guard event.type == .delete else { return KeyValueEvent(kind: .put, kv: keyValue(event.kv), previous: previous) }
        var tombstone = previous ?? KeyValue(key: storeKey(event.kv.key), value: [], createRevision: 0, modRevision: 0)
        tombstone.modRevision = event.kv.modRevision
        return KeyValueEvent(kind: .delete, kv: tombstone, previous: previous)
    }
}
