import NIOCore
import NIOWebSocket
import SkiffAPIServer

/// Port-forward over SPDY/3.1 (`portforward.k8s.io`, the protocol kubectl speaks), on a raw
/// `Upgrade: SPDY/3.1` connection or tunnelled in WebSocket binary messages
/// (`SPDY/3.1+portforward.k8s.io`, kubectl 1.31+'s first choice). For each forwarded connection
/// the client opens two streams with the headers `streamType` (`error`, then `data`), `port` and
/// `requestID`; each stream gets a SYN_REPLY at once, and once both of a request are open the data
/// stream is joined to a connection to the port in the pod (`dial`: TCP to the pod's IP, or the CRI
/// runtime's port-forward). When the pod's side closes, both streams are finished; a failure to
/// connect is written as text on the error stream. The
/// client's FIN half-closes the pod's connection, its RST_STREAM closes it; pings are answered.
struct SPDYPortForwardSession: Sendable {
    /// The stream protocol of the raw SPDY upgrade (`X-Stream-Protocol-Version`).
    static let streamProtocol = "portforward.k8s.io"
    /// The WebSocket subprotocol of the tunnelled form.
    static let tunnelSubprotocol = "SPDY/3.1+portforward.k8s.io"

    let podName: String
    let podUID: String
    let dial: PodPortDialer

    /// The upgrade for a raw `Upgrade: SPDY/3.1` request.
    func rawUpgrade() -> ConnectionUpgrade {
        ConnectionUpgrade.messages(of: ByteBuffer.self) { connection in
            await run(receive: { deliver in for await chunk in connection.inbound { await deliver(Array(chunk.readableBytesView)) } },
                      write: { try await connection.write(ByteBuffer(bytes: $0)) })
            connection.close()
        }
    }

    /// The upgrade for a WebSocket request that chose `tunnelSubprotocol`.
    func tunnelUpgrade() -> ConnectionUpgrade {
        WebSocketMessages.upgrade { connection in
            await run(receive: { deliver in await WebSocketMessages.read(connection, deliver) },
                      write: { try await connection.write(WebSocketMessages.binary($0)) })
            await WebSocketMessages.close(connection)
        }
    }

    /// What the client sends on a data stream, for the task joined to the pod's port.
    enum Upload: Sendable {
        case bytes([UInt8])
        /// The client closed the stream (FIN): half-close the pod's connection.
        case finished
        /// The client reset the stream: close the pod's connection.
        case reset
    }

    /// A request's streams as they open.
    private struct PendingRequest {
        var port: Int
        var errorStream: UInt32?
        var dataStream: UInt32?
        var uploads: AsyncStream<Upload>?
    }

    /// Serves frames until the client goes away or sends GOAWAY.
    func run(receive: @escaping @Sendable (([UInt8]) async -> Void) async -> Void, write: @escaping @Sendable ([UInt8]) async throws -> Void) async {
        let sender = SPDYFrameSender()
        let (frames, incoming) = AsyncStream<SPDYFrame>.makeStream()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await sender.run(write: write) }
            group.addTask {
                // Only this task reads the connection, so only it uses the decoder.
                guard let decoder = try? SPDYFrameDecoder() else { return incoming.finish() }
                await receive { bytes in
                    guard let decoded = try? decoder.receive(bytes) else {
                        incoming.yield(.goAway(lastGoodStreamID: 0, status: SPDYFrame.Status.protocolError))
                        return
                    }
                    for frame in decoded { incoming.yield(frame) }
                }
                incoming.finish()
            }
            var pending: [String: PendingRequest] = [:]
            var uploads: [UInt32: AsyncStream<Upload>.Continuation] = [:]
            frameLoop: for await frame in frames {
                switch frame {
                case .synStream(let id, let headers, _):
                    guard let stream = PortForwardStreamHeaders(streamID: id, headers) else {
                        sender.send(.rstStream(streamID: id, status: SPDYFrame.Status.protocolError))
                        continue
                    }
                    sender.send(.synReply(streamID: id, headers: [], fin: false))
                    var request = pending[stream.requestID] ?? PendingRequest(port: stream.port)
                    if stream.isData {
                        let (uploadStream, continuation) = AsyncStream<Upload>.makeStream()
                        uploads[id] = continuation
                        request.dataStream = id
                        request.uploads = uploadStream
                    } else {
                        request.errorStream = id
                    }
                    guard let errorStream = request.errorStream, let dataStream = request.dataStream, let upload = request.uploads else {
                        pending[stream.requestID] = request
                        continue
                    }
                    pending[stream.requestID] = nil
                    let port = request.port
                    group.addTask { await forward(port: port, data: dataStream, error: errorStream, uploads: upload, sender: sender) }
                case .data(let id, let payload, let fin):
                    if !payload.isEmpty { uploads[id]?.yield(.bytes(payload)) }
                    if fin { uploads.removeValue(forKey: id)?.yield(.finished) }
                case .rstStream(let id, _):
                    uploads.removeValue(forKey: id)?.yield(.reset)
                case .ping(let id):
                    sender.send(.ping(id: id))
                case .goAway:
                    break frameLoop
                case .synReply, .settings, .headers, .windowUpdate, .unknown:
                    continue
                }
            }
            for upload in uploads.values { upload.yield(.reset) }
            sender.finish()
            group.cancelAll()
        }
    }

    /// Joins one data stream to a connection to `port` in the pod, then finishes both streams.
    private func forward(port: Int, data dataStream: UInt32, error errorStream: UInt32, uploads: AsyncStream<Upload>, sender: SPDYFrameSender) async {
        let fail = { (cause: String) in
            let message = "error forwarding port \(port) to pod \(podName), uid \(podUID): \(cause)"
            sender.send(.data(streamID: errorStream, payload: Array(message.utf8), fin: false))
        }
        let backend: PodPortConnection
        do {
            backend = try await dial(port)
        } catch {
            fail("\(error)")
            sender.send(.data(streamID: errorStream, payload: [], fin: true))
            sender.send(.data(streamID: dataStream, payload: [], fin: true))
            return
        }
        let upload = Task {
            for await item in uploads {
                switch item {
                case .bytes(let bytes): try? await backend.write(bytes)
                case .finished: backend.closeOutput()
                case .reset: backend.close()
                }
            }
        }
        for await chunk in backend.inbound { sender.send(.data(streamID: dataStream, payload: chunk, fin: false)) }
        upload.cancel()
        if let failure = await backend.failure() { fail(failure) }
        backend.close()
        sender.send(.data(streamID: dataStream, payload: [], fin: true))
        sender.send(.data(streamID: errorStream, payload: [], fin: true))
    }
}

/// The port-forward headers of a new stream: `streamType` `data` or `error`, `port`, and
/// `requestID` (older clients leave it out: then an error stream's request is its own stream ID
/// and a data stream's the ID two before its own, as upstream's kubelet pairs them).
struct PortForwardStreamHeaders: Sendable, Equatable {
    var isData: Bool
    var port: Int
    var requestID: String

    init?(streamID: UInt32, _ headers: [SPDYHeader]) {
        let value = { (name: String) in headers.first { $0.name == name }?.value }
        guard let type = value("streamtype"), type == "data" || type == "error",
            let port = value("port").flatMap({ Int($0) }), (1...65535).contains(port)
        else { return nil }
        isData = type == "data"
        self.port = port
        requestID = value("requestid") ?? String(isData ? streamID &- 2 : streamID)
    }
}
