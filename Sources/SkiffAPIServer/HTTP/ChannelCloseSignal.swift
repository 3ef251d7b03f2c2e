import NIOCore
import Synchronization

/// Waits for a channel to close, and (unlike `closeFuture.get()`) stops waiting when the
/// waiting task is cancelled.
final class ChannelCloseSignal: Sendable {
    private enum State {
        case idle
        case waiting(CheckedContinuation<Void, Never>)
        case fired
    }

    private let state = Mutex(State.idle)

    /// Returns when `channel` closes or the current task is cancelled.
    static func wait(for channel: any Channel) async {
        let signal = ChannelCloseSignal()
        channel.closeFuture.whenComplete { _ in signal.fire() }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let firedAlready = signal.state.withLock { state in
                    if case .fired = state { return true }
                    state = .waiting(continuation)
                    return false
                }
                if firedAlready { continuation.resume() }
            }
        } onCancel: {
            signal.fire()
        }
    }

    private func fire() {
        let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
            defer { state = .fired }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
        continuation?.resume()
    }
}
