import Synchronization

/// A running container's output for the clients attached to it (`kubectl attach`): each
/// subscription gets what the container writes from then on, until its output ends.
final class AttachedOutput: Sendable {
    /// One piece of output and its stream.
    typealias Chunk = (output: ExecStreams.Output, bytes: [UInt8])

    private struct State {
        var subscribers: [Int: AsyncStream<Chunk>.Continuation] = [:]
        var next = 0
        var ended = false
    }

    private let state = Mutex(State())

    /// The output from now on; it ends with the container's output (at once if that has ended).
    func subscribe() -> AsyncStream<Chunk> {
        let (stream, continuation) = AsyncStream<Chunk>.makeStream()
        let id: Int? = state.withLock { state in
            guard !state.ended else { return nil }
            defer { state.next += 1 }
            state.subscribers[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Hands `bytes` to every subscriber.
    func publish(_ output: ExecStreams.Output, _ bytes: [UInt8]) {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield((output, bytes)) }
    }

    /// The container's output has ended: every subscription ends.
    func end() {
        let subscribers = state.withLock { state in
            state.ended = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
