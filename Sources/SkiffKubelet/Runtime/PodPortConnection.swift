import NIOCore
import SkiffAPIServer

/// A connection to a port inside a pod, what port-forward joins to the client's stream: the
/// pod's bytes in, the client's out. Either a TCP connection to the pod's IP, or a stream of the
/// runtime's own (CRI's `PortForward`, dialled inside the pod's network namespace).
public struct PodPortConnection: Sendable {
    /// The pod side's bytes; ends when it closes.
    public var inbound: AsyncStream<[UInt8]>
    /// Sends bytes to the pod side.
    public var write: @Sendable ([UInt8]) async throws -> Void
    /// Ends the sending (a half-close); `inbound` goes on.
    public var closeOutput: @Sendable () -> Void
    /// Closes the connection.
    public var close: @Sendable () -> Void
    /// Once `inbound` has ended: why the pod side could not be reached, nil when it could.
    public var failure: @Sendable () async -> String?

    /// A connection of these parts.
    public init(
        inbound: AsyncStream<[UInt8]>, write: @escaping @Sendable ([UInt8]) async throws -> Void, closeOutput: @escaping @Sendable () -> Void,
        close: @escaping @Sendable () -> Void, failure: @escaping @Sendable () async -> String? = { nil }
    ) {
        self.inbound = inbound
        self.write = write
        self.closeOutput = closeOutput
        self.close = close
        self.failure = failure
    }

    /// A TCP connection to `port` at the pod's IP `host`.
    static func tcp(host: String, port: Int) async throws -> PodPortConnection {
        let connection = try await UpgradedConnection.connect(host: host, port: port, timeout: .seconds(5))
        let (inbound, continuation) = AsyncStream<[UInt8]>.makeStream()
        let reader = Task {
            for await chunk in connection.inbound { continuation.yield(Array(chunk.readableBytesView)) }
            continuation.finish()
        }
        return PodPortConnection(
            inbound: inbound, write: { try await connection.write(ByteBuffer(bytes: $0)) }, closeOutput: { connection.closeOutput() },
            close: {
                connection.close()
                reader.cancel()
            })
    }
}

/// How a port-forward session reaches port `port` of its pod.
typealias PodPortDialer = @Sendable (_ port: Int) async throws -> PodPortConnection
