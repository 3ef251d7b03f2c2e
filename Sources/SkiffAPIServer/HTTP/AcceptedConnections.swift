import NIOCore
import NIOHTTP1
import Synchronization

/// The connections accepted but not yet served. A connection wrapped for async use must be
/// finished before it is dropped (NIO traps otherwise), and at shutdown the accept loop stops
/// before it has taken every accepted connection: those are closed here, and connections that
/// arrive after shutdown began are refused before they are wrapped.
/// A TLS connection is pending until its protocol is negotiated and its server takes it.
final class AcceptedConnections<Connection: Sendable>: Sendable {

    private struct State {
        var stopping = false
        var pending: [ObjectIdentifier: Connection] = [:]
    }

    private let state = Mutex(State())
    private let close: @Sendable (Connection) async -> Void

    /// `close` finishes a connection never served.
    init(close: @escaping @Sendable (Connection) async -> Void) {
        self.close = close
    }

    /// Wraps a new child channel (on its event loop, from the child channel initializer).
    func accept(_ channel: any Channel, wrap: (any Channel) throws -> Connection) throws -> Connection {
        try state.withLock { state in
            guard !state.stopping else { throw ChannelError.ioOnClosedChannel }
            let connection = try wrap(channel)
            state.pending[ObjectIdentifier(channel)] = connection
            return connection
        }
    }

    /// The connection of `channel` is being served: its server finishes it.
    func served(_ channel: any Channel) {
        _ = state.withLock { $0.pending.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    /// Refuses new connections and closes those never served.
    func stop() async {
        let leftovers = state.withLock { state in
            state.stopping = true
            defer { state.pending.removeAll() }
            return Array(state.pending.values)
        }
        for connection in leftovers {
            await close(connection)
        }
    }
}
