import Synchronization

/// The store's open watches: each has a stream of progress requests its gRPC stream forwards to
/// etcd, and the task running it, which `closeAll` cancels.
final class EtcdWatchRegistry: Sendable {
    private struct Entry {
        var progress: AsyncStream<Void>.Continuation
        var task: Task<Void, Never>?
    }

    private struct State {
        var next = 0
        var entries: [Int: Entry] = [:]
        var closed = false
    }

    private let state = Mutex(State())

    /// Registers a watch; nil once the store is closed.
    func add(progress: AsyncStream<Void>.Continuation) -> Int? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.next += 1
            state.entries[state.next] = Entry(progress: progress)
            return state.next
        }
    }

    /// Records the task that runs watch `id`; cancels it at once if the watch is already gone.
    func attach(_ task: Task<Void, Never>, to id: Int) {
        let registered = state.withLock { state in
            guard state.entries[id] != nil else { return false }
            state.entries[id]?.task = task
            return true
        }
        if !registered { task.cancel() }
    }

    func remove(_ id: Int) {
        let entry = state.withLock { $0.entries.removeValue(forKey: id) }
        entry?.progress.finish()
    }

    /// Asks every open watch to request a progress notification from etcd.
    func requestProgress() {
        let continuations = state.withLock { $0.entries.values.map(\.progress) }
        for continuation in continuations { continuation.yield() }
    }

    /// Ends every watch and refuses new ones.
    func closeAll() {
        let entries = state.withLock { state in
            state.closed = true
            defer { state.entries = [:] }
            return Array(state.entries.values)
        }
        for entry in entries {
            entry.progress.finish()
            entry.task?.cancel()
        }
    }
}
