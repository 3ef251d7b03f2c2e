import NIOCore
import SkiffAPI
import SkiffAPIServer
import SkiffClient
import Synchronization

/// A `ClientTransport` that hands each request to an `APIServer`'s handler in the same process:
/// no socket, no TLS, no serialization beyond the JSON the API itself speaks. Streamed
/// responses (watches) are written by a task per stream, cancelled when the reader stops or the
/// transport shuts down. Connection upgrades (exec, attach, port-forward) need a network
/// transport and fail with a `ClientError`.
public final class InProcessTransport: ClientTransport {
    private let api: APIServer
    private let intercept: @Sendable (HTTPRequest) async -> HTTPResponse?
    private let streams = Mutex(Streams())

    /// A transport to `api`; `intercept` may answer a request before the server sees it (nil: pass it on).
    public init(api: APIServer, intercept: @escaping @Sendable (HTTPRequest) async -> HTTPResponse? = { _ in nil }) {
        self.api = api
        self.intercept = intercept
    }

    public func execute(_ request: TransportRequest, deadline: NIODeadline?) async throws -> TransportResponse {
        let httpRequest = HTTPRequest(method: request.method, uri: request.pathAndQuery, headers: request.headers, body: request.body ?? [])
        let response: HTTPResponse
        if let answer = await intercept(httpRequest) {
            response = answer
        } else {
            response = await api.handle(httpRequest)
        }
        switch response.body {
        case .bytes(let bytes):
            return TransportResponse(status: response.status, headers: response.headers, body: .bytes(bytes))
        case .stream(let produce):
            return TransportResponse(status: response.status, headers: response.headers, body: TransportBody(try stream(produce)))
        case .upgrade:
            throw ClientError(.invalidRequest, "\(request.method) \(request.pathAndQuery) upgrades the connection, which needs a network transport")
        }
    }

    /// Cancels the streams still being written; later requests still reach the server.
    public func shutdown() async throws {
        let tasks = streams.withLock { streams in
            streams.isShutDown = true
            defer { streams.tasks = [:] }
            return Array(streams.tasks.values)
        }
        for task in tasks { task.cancel() }
    }

    /// Runs `produce` in a task whose writes become the chunks of the returned stream.
    private func stream(_ produce: @escaping @Sendable (ResponseBodyWriter) async throws -> Void) throws -> AsyncThrowingStream<ByteBuffer, any Error> {
        let (chunks, input) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        let task = try streams.withLock { streams in
            guard !streams.isShutDown else { throw ClientError(.transport, "the in-process transport is shut down") }
            streams.nextID += 1
            let id = streams.nextID
            let task = Task {
                do {
                    try await produce(ResponseBodyWriter { bytes in input.yield(ByteBuffer(bytes: bytes)) })
                    input.finish()
                } catch {
                    input.finish(throwing: error)
                }
                _ = self.streams.withLock { $0.tasks.removeValue(forKey: id) }
            }
            streams.tasks[id] = task
            return task
        }
        input.onTermination = { _ in task.cancel() }
        return chunks
    }

    private struct Streams {
        var nextID = 0
        var tasks: [Int: Task<Void, Never>] = [:]
        var isShutDown = false
    }
}
