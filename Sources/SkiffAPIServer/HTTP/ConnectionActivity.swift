import Synchronization

/// Whether a connection is between requests, so that graceful shutdown closes it at once when
/// idle and after the response when busy.
final class ConnectionActivity: Sendable {
    private struct State {
        var busy = false
        var closing = false
    }

    private let state = Mutex(State())

    /// A request's head arrived.
    func startRequest() {
        state.withLock { $0.busy = true }
    }

    /// The response is written; false when the connection should close now.
    func finishRequest() -> Bool {
        state.withLock { state in
            state.busy = false
            return !state.closing
        }
    }

    /// Asks the connection to close once idle; true when it is idle now (the caller closes it).
    func closeWhenIdle() -> Bool {
        state.withLock { state in
            state.closing = true
            return !state.busy
        }
    }
}
