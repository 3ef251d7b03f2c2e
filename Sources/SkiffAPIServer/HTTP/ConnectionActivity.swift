import Synchronization

/// Whether a connection is between requests, so that graceful shutdown closes it at once when
/// idle and after the last response when busy (an HTTP/2 connection serves several at once).
final class ConnectionActivity: Sendable {
    private struct State {
        var active = 0
        var closing = false
    }

    private let state = Mutex(State())

    /// A request's head arrived.
    func startRequest() {
        state.withLock { $0.active += 1 }
    }

    /// The response is written; false when the connection should close now.
    func finishRequest() -> Bool {
        state.withLock { state in
            state.active -= 1
            return !(state.closing && state.active == 0)
        }
    }

    /// Asks the connection to close once idle; true when it is idle now (the caller closes it).
    func closeWhenIdle() -> Bool {
        state.withLock { state in
            state.closing = true
            return state.active == 0
        }
    }
}
