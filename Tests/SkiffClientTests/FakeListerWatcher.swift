import SkiffAPI
import SkiffClient
import Synchronization

/// A scripted server for reflector tests: lists and watches answer from queues the test fills,
/// and every call's options are recorded.
final class FakeListerWatcher: ListerWatcher {
    typealias Events = AsyncThrowingStream<WatchEvent<JSONValue>, any Error>

    private struct State {
        var lists: [Result<ObjectList<JSONValue>, any Error>] = []
        var watches: [Result<Events, any Error>] = []
        var listCalls: [ListOptions] = []
        var watchCalls: [ListOptions] = []
    }

    private let state = Mutex(State())

    /// Answers the next list with `items` at `resourceVersion`, with a continue token if given.
    func enqueueList(_ items: [JSONValue], resourceVersion: String, continue token: String? = nil) {
        state.withLock { $0.lists.append(.success(ObjectList(metadata: ListMeta(resourceVersion: resourceVersion, continue: token), items: items))) }
    }

    /// Answers the next watch with a stream the test feeds through the returned continuation.
    func enqueueWatch() -> Events.Continuation {
        let (stream, continuation) = Events.makeStream()
        state.withLock { $0.watches.append(.success(stream)) }
        return continuation
    }

    /// Fails the next watch.
    func enqueueWatchFailure(_ error: any Error) {
        state.withLock { $0.watches.append(.failure(error)) }
    }

    var listCalls: [ListOptions] { state.withLock { $0.listCalls } }
    var watchCalls: [ListOptions] { state.withLock { $0.watchCalls } }

    func list(_ options: ListOptions) async throws -> ObjectList<JSONValue> {
        let next = state.withLock { state -> Result<ObjectList<JSONValue>, any Error> in
            state.listCalls.append(options)
            return state.lists.isEmpty ? .failure(ClientError(.transport, "no list scripted")) : state.lists.removeFirst()
        }
        return try next.get()
    }

    func watchEvents(_ options: ListOptions) async throws -> any AsyncSequence<WatchEvent<JSONValue>, any Error> {
        let next = state.withLock { state -> Result<Events, any Error> in
            state.watchCalls.append(options)
            return state.watches.isEmpty ? .failure(ClientError(.transport, "no watch scripted")) : state.watches.removeFirst()
        }
        return try next.get()
    }
}

/// Waits until `condition` holds, checking after every short pause, failing after `timeout`.
func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { throw ClientError(.transport, "timed out waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(5))
    }
}
