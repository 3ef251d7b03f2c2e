import NIOCore
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import Synchronization

/// The client's side of a SPDY/3.1 connection to a streaming server (the URL a CRI runtime's
/// `Exec`, `Attach` or `PortForward` returns, as upstream's kubelet dials it): the HTTP upgrade
/// with the offered stream protocols, then streams this side opens (odd IDs) whose data arrives
/// on each stream's `inbound` until the server finishes or resets it; pings are answered.
final class SPDYClientConnection: Sendable {
    /// One stream this side opened.
    struct Stream: Sendable {
        let id: UInt32
        /// The server's data on the stream; ends with its FIN, a reset or the connection's end.
        let inbound: AsyncStream<[UInt8]>
    }

    private struct State {
        var nextStreamID: UInt32 = 1
        var streams: [UInt32: AsyncStream<[UInt8]>.Continuation] = [:]
    }

    /// The stream protocol the server chose (`X-Stream-Protocol-Version` of its answer).
    let streamProtocol: String
    private let connection: UpgradedConnection<ByteBuffer>
    private let sender = SPDYFrameSender()
    private let state = Mutex(State())
    /// Writes the queued frames and reads the server's until the connection ends.
    private let tasks: Mutex<[Task<Void, Never>]> = Mutex([])

    private init(streamProtocol: String, connection: UpgradedConnection<ByteBuffer>) {
        self.streamProtocol = streamProtocol
        self.connection = connection
    }

    /// Upgrades a `POST` of `url` (`http://host:port/path`) to SPDY/3.1 offering `protocols`;
    /// throws the server's answer when it does not switch, or chooses none of them.
    static func connect(url: String, protocols: [String]) async throws -> SPDYClientConnection {
        guard let location = Self.parse(url) else { throw RuntimeError(.invalidState, "unsupported streaming URL \(url)") }
        var headers: HTTPHeaders = ["Connection": "Upgrade", "Upgrade": "SPDY/3.1"]
        for name in protocols { headers.add(name: "X-Stream-Protocol-Version", value: name) }
        let (answer, backend) = try await UpgradeProxy(host: location.host, port: location.port).request(method: .POST, target: location.target, headers: headers)
        guard answer.status == .switchingProtocols, let chosen = answer.headers.first(name: "X-Stream-Protocol-Version"), protocols.contains(chosen)
        else {
            backend.close()
            let body = String(decoding: answer.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw RuntimeError(.invalidState, "unable to upgrade streaming request: \(answer.status.code) \(answer.status.reasonPhrase): \(body)")
        }
        let client = SPDYClientConnection(streamProtocol: chosen, connection: backend)
        client.start(leftover: answer.body)
        return client
    }

    /// `host`, `port` and path (with query) of an `http://` URL.
    static func parse(_ url: String) -> (host: String, port: Int, target: String)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let authority = rest.prefix { $0 != "/" }
        let target = rest.dropFirst(authority.count)
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]) else { return nil }
        var host = String(authority[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port, target.isEmpty ? "/" : String(target))
    }

    private func start(leftover: [UInt8]) {
        let sender = sender
        let connection = connection
        let writer = Task { _ = try? await sender.run { try await connection.write(ByteBuffer(bytes: $0)) } }
        let reader = Task {
            defer { self.endStreams() }
            guard let decoder = try? SPDYFrameDecoder() else { return }
            do {
                for frame in try decoder.receive(leftover) { self.handle(frame) }
                for await chunk in connection.inbound {
                    for frame in try decoder.receive(chunk.readableBytesView) { self.handle(frame) }
                }
            } catch {
                connection.close()
            }
        }
        tasks.withLock { $0 = [writer, reader] }
    }

    private func handle(_ frame: SPDYFrame) {
        switch frame {
        case .data(let id, let payload, let fin):
            state.withLock { state in
                if !payload.isEmpty { state.streams[id]?.yield(payload) }
                if fin { state.streams.removeValue(forKey: id)?.finish() }
            }
        case .rstStream(let id, _):
            state.withLock { $0.streams.removeValue(forKey: id)?.finish() }
        case .synReply(let id, _, let fin) where fin:
            state.withLock { $0.streams.removeValue(forKey: id)?.finish() }
        case .ping(let id):
            sender.send(.ping(id: id))
        case .synStream(let id, _, _):
            // This client accepts no streams from the server.
            sender.send(.rstStream(streamID: id, status: SPDYFrame.Status.refusedStream))
        case .synReply, .settings, .headers, .windowUpdate, .goAway, .unknown:
            // GOAWAY: no new streams, but the open ones go on until the server closes.
            return
        }
    }

    private func endStreams() {
        let open = state.withLock { state in
            defer { state.streams = [:] }
            return Array(state.streams.values)
        }
        for stream in open { stream.finish() }
    }

    /// Opens a stream with `headers` (SYN_STREAM).
    func openStream(_ headers: [SPDYHeader]) -> Stream {
        let (inbound, continuation) = AsyncStream<[UInt8]>.makeStream()
        let id = state.withLock { state in
            let id = state.nextStreamID
            state.nextStreamID += 2
            state.streams[id] = continuation
            return id
        }
        sender.send(.synStream(streamID: id, headers: headers, fin: false))
        return Stream(id: id, inbound: inbound)
    }

    /// Sends `bytes` on a stream.
    func send(_ stream: Stream, _ bytes: [UInt8]) {
        sender.send(.data(streamID: stream.id, payload: bytes, fin: false))
    }

    /// Ends this side of a stream (FIN): the server's reading of it ends.
    func finish(_ stream: Stream) {
        sender.send(.data(streamID: stream.id, payload: [], fin: true))
    }

    /// Closes the connection; every stream's `inbound` ends.
    func close() {
        sender.finish()
        connection.close()
        for task in tasks.withLock({ $0 }) { task.cancel() }
        endStreams()
    }
}
