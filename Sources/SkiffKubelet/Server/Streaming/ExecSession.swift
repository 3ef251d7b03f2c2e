import NIOCore
import NIOWebSocket
import SkiffAPI
import SkiffAPIServer

/// One exec over an upgraded WebSocket (`v4`/`v5.channel.k8s.io`): the client's stdin messages
/// feed the command, its output goes back on the stdout and stderr channels, and its outcome as a
/// `Status` on the error channel before the server closes; pings are answered. With a TTY the
/// client's resize messages (channel 4) reach the process's terminal.
struct ExecSession: Sendable {
    let request: StreamRequest
    let connection: UpgradedConnection<WebSocketFrame>

    /// The upgrade that runs the session with WebSocket frames.
    static func upgrade(_ request: StreamRequest, execute: @escaping @Sendable (ExecStreams) async throws -> Int32) -> ConnectionUpgrade {
        WebSocketMessages.upgrade { connection in await ExecSession(request: request, connection: connection).run(execute) }
    }

    /// Runs `execute` with the session's streams, then reports its exit code (or error) and closes.
    func run(_ execute: @Sendable (ExecStreams) async throws -> Int32) async {
        let (stdin, stdinInput) = AsyncStream<[UInt8]>.makeStream()
        let (resize, resizeInput) = AsyncStream<TerminalSize>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let reader = Task { await readClient(stdin: stdinInput, resize: resizeInput) }
        let connection = connection
        let request = request
        let streams = ExecStreams(
            command: request.command, tty: request.tty, stdin: request.stdin ? stdin : nil, resize: request.tty ? resize : nil
        ) { output, bytes in
            guard output == .stdout ? request.stdout : request.stderr else { return }
            try? await connection.write(Self.message(output == .stdout ? .stdout : .stderr, bytes))
        }
        let status: JSONValue
        do {
            status = RemoteCommandProtocol.exitStatus(try await execute(streams), command: request.command)
        } catch let failure as RemoteCommandFailure {
            status = failure.status
        } catch {
            status = RemoteCommandProtocol.failureStatus("\(error)")
        }
        try? await connection.write(Self.message(.error, status.serialized()))
        try? await connection.write(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer(bytes: [0x03, 0xE8])))
        reader.cancel()
        connection.close()
    }

    /// Routes the client's frames: stdin data, terminal sizes, v5's close of stdin, pings; stdin
    /// and the sizes end with the connection.
    private func readClient(stdin: AsyncStream<[UInt8]>.Continuation, resize: AsyncStream<TerminalSize>.Continuation) async {
        defer {
            stdin.finish()
            resize.finish()
        }
        await WebSocketMessages.read(connection) { message in
            guard let (channel, payload) = RemoteCommandProtocol.decode(message) else { return }
            switch channel {
            case .stdin: if !payload.isEmpty { stdin.yield(Array(payload)) }
            case .resize: if let size = TerminalSize(resizeMessage: payload) { resize.yield(size) }
            case .close where payload.first == RemoteCommandProtocol.Channel.stdin.rawValue: stdin.finish()
            default: return
            }
        }
    }

    private static func message(_ channel: RemoteCommandProtocol.Channel, _ payload: [UInt8]) -> WebSocketFrame {
        WebSocketMessages.binary(RemoteCommandProtocol.encode(channel, payload))
    }
}
