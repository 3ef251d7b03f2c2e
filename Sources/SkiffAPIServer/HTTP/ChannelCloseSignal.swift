import NIOCore
import SkiffAPI

/// Waiting for a channel to close in a way that, unlike `closeFuture.get()`, stops when the
/// waiting task is cancelled.
enum ChannelCloseSignal {
    /// Returns when `channel` closes or the current task is cancelled.
    static func wait(for channel: any Channel) async {
        let signal = WakeSignal()
        channel.closeFuture.whenComplete { _ in signal.fire() }
        await signal.wait()
    }
}
