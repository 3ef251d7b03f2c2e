import Logging
import SkiffAPIServer
@testable import SkiffKubelet
import Testing

/// The SPDY port-forward protocol against an HTTP server on loopback, driven as kubectl drives
/// it: an error and a data stream per request, the request on the data stream.
@Suite struct SPDYPortForwardSessionTests {
    /// The client's compression contexts, one per direction, used in order.
    actor ClientFraming {
        private let encoder: SPDYFrameEncoder
        private let decoder: SPDYFrameDecoder

        init() throws {
            encoder = try SPDYFrameEncoder()
            decoder = try SPDYFrameDecoder()
        }

        func encode(_ frames: [SPDYFrame]) throws -> [UInt8] { try frames.flatMap { try encoder.encode($0) } }
        func decode(_ bytes: [UInt8]) throws -> [SPDYFrame] { try decoder.receive(bytes) }
    }

    /// Runs a session towards 127.0.0.1; `body` sends frames and reads the server's frames.
    static func withSession(
        _ body: @escaping @Sendable (_ send: @Sendable ([SPDYFrame]) async throws -> Void, _ frames: AsyncStream<SPDYFrame>) async throws -> Void
    ) async throws {
        let (toServer, toServerContinuation) = AsyncStream<[UInt8]>.makeStream()
        let (fromServer, fromServerContinuation) = AsyncStream<SPDYFrame>.makeStream()
        let framing = try ClientFraming()
        let session = SPDYPortForwardSession(podName: "web", podUID: "uid-1") { try await PodPortConnection.tcp(host: "127.0.0.1", port: $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await session.run(receive: { deliver in for await bytes in toServer { await deliver(bytes) } },
                                  write: { bytes in for frame in try await framing.decode(bytes) { fromServerContinuation.yield(frame) } })
                fromServerContinuation.finish()
            }
            try await body({ frames in toServerContinuation.yield(try await framing.encode(frames)) }, fromServer)
            toServerContinuation.finish()
            try await group.waitForAll()
        }
    }

    /// Runs an HTTP server on a free loopback port that answers `hello`.
    static func withHTTPServer(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        // The session connects to the pod's port when a stream opens and sends the request after:
        // on a loaded machine that can be longer than a real server's 32 s wait for a request head.
        var configuration = HTTPServer.Configuration(host: "127.0.0.1", port: 0)
        configuration.readHeaderTimeout = .minutes(5)
        let server = HTTPServer(configuration: configuration, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) { _ in
            .text("hello")
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (ports, bound) = AsyncStream<Int>.makeStream()
            group.addTask { try await server.run { bound.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { return }
            try await body(port)
            group.cancelAll()
        }
    }

    /// The error and data streams of request `requestID` (stream IDs 4n+1 and 4n+3).
    static func open(port: Int, requestID: UInt32) -> [SPDYFrame] {
        let headers = { (type: String) in
            [SPDYHeader(name: "streamtype", value: type), SPDYHeader(name: "port", value: String(port)), SPDYHeader(name: "requestid", value: String(requestID))]
        }
        return [.synStream(streamID: 4 * requestID + 1, headers: headers("error"), fin: false),
                .synStream(streamID: 4 * requestID + 3, headers: headers("data"), fin: false)]
    }

    /// What the server sent on each stream until both streams of every request were finished;
    /// `onData` sees each data frame as it comes.
    static func collect(_ frames: AsyncStream<SPDYFrame>, requests: Int, onData: (UInt32, [UInt8]) async throws -> Void = { _, _ in })
        async rethrows -> (replies: Set<UInt32>, data: [UInt32: [UInt8]]) {
        var replies = Set<UInt32>()
        var data: [UInt32: [UInt8]] = [:]
        var finished = Set<UInt32>()
        for await frame in frames {
            switch frame {
            case .synReply(let id, _, _): replies.insert(id)
            case .data(let id, let payload, let fin):
                data[id, default: []] += payload
                try await onData(id, data[id, default: []])
                if fin { finished.insert(id) }
            default: continue
            }
            if finished.count == 2 * requests { break }
        }
        return (replies, data)
    }

    @Test func twoRequestsReachThePodsPortAndEndWithBothStreamsFinished() async throws {
        try await Self.withHTTPServer { port in
            try await Self.withSession { send, frames in
                let request = Array("GET / HTTP/1.1\r\nHost: pod\r\n\r\n".utf8)
                try await send(Self.open(port: port, requestID: 0) + Self.open(port: port, requestID: 1) + [.ping(id: 1)])
                try await send([.data(streamID: 3, payload: request, fin: false), .data(streamID: 7, payload: request, fin: false)])
                // Once a stream has its answer, its FIN half-closes the connection to the pod,
                // which then closes it: the server finishes both of the request's streams.
                let (replies, data) = try await Self.collect(frames, requests: 2) { stream, received in
                    if String(decoding: received, as: UTF8.self).hasSuffix("hello") { try await send([.data(streamID: stream, payload: [], fin: true)]) }
                }
                #expect(replies == [1, 3, 5, 7])
                for stream: UInt32 in [3, 7] {
                    let answer = String(decoding: data[stream] ?? [], as: UTF8.self)
                    #expect(answer.hasPrefix("HTTP/1.1 200 OK") && answer.hasSuffix("hello"), "\(answer)")
                }
                #expect(data[1, default: []].isEmpty && data[5, default: []].isEmpty)
                try await send([.goAway(lastGoodStreamID: 0, status: 0)])
            }
        }
    }

    @Test func aPortNobodyListensOnIsReportedOnTheErrorStream() async throws {
        try await Self.withSession { send, frames in
            try await send(Self.open(port: 1, requestID: 0))
            let (_, data) = try await Self.collect(frames, requests: 1)
            #expect(String(decoding: data[1] ?? [], as: UTF8.self).hasPrefix("error forwarding port 1 to pod web, uid uid-1: "))
            try await send([.goAway(lastGoodStreamID: 0, status: 0)])
        }
    }
}
