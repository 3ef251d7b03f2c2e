import SkiffStorage

// Small state accessors kept apart from the cache's logic.
extension WatchCache {
    var storageForProgress: any Storage { storage }
    var freshnessTimeout: Duration { configuration.freshnessTimeout }
    var watcherBufferCapacity: Int { configuration.watcherBufferCapacity }

    func readState<T>(_ body: (State) -> T) -> T {
        state.withLock { body($0) }
    }

    func mutateState<T>(_ body: (inout State) -> T) -> T {
        state.withLock { body(&$0) }
    }

    func isFresh(_ revision: Int64) -> Bool {
        readState { $0.ready && $0.revision >= revision }
    }

    func stateRevision() -> Int64 {
        readState { $0.revision }
    }

    /// Waits until the cache reaches `revision`: false when the cache stops or the task is
    /// cancelled first.
    func waitForRevision(_ revision: Int64) async -> Bool {
        let id = mutateState { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                mutateState { state in
                    if state.ready && state.revision >= revision {
                        continuation.resume(returning: true)
                    } else if state.stopped || Task.isCancelled {
                        continuation.resume(returning: false)
                    } else {
                        state.revisionWaiters.append(RevisionWaiter(id: id, revision: revision, continuation: continuation))
                    }
                }
            }
        } onCancel: {
            let waiter = mutateState { state -> RevisionWaiter? in
                guard let index = state.revisionWaiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.revisionWaiters.remove(at: index)
            }
            waiter?.continuation.resume(returning: false)
        }
    }

    func registerWatcher<T>(_ body: (inout State, Int) -> T) -> T {
        mutateState { state in
            let id = state.nextWatcherID
            state.nextWatcherID += 1
            return body(&state, id)
        }
    }

    func removeWatcher(_ id: Int) {
        mutateState { state in _ = state.watchers.removeValue(forKey: id) }
    }
}
