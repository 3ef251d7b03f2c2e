import AsyncHTTPClient
import NIOCore

/// The body of a `TransportResponse`, as the chunks arrive (a watch's body never ends on its
/// own). Iterate it once.
public struct TransportBody: AsyncSequence, Sendable {
    public typealias Element = ByteBuffer

    private enum Source: Sendable {
        case http(HTTPClientResponse.Body)
        case chunks(AsyncThrowingStream<ByteBuffer, any Error>)
    }

    private let source: Source

    /// A body read from async-http-client's response.
    init(_ body: HTTPClientResponse.Body) {
        source = .http(body)
    }

    /// A body that another task writes into (an in-process server streaming a watch).
    public init(_ chunks: AsyncThrowingStream<ByteBuffer, any Error>) {
        source = .chunks(chunks)
    }

    /// A body that is already whole.
    public static func bytes(_ bytes: [UInt8]) -> TransportBody {
        let (chunks, input) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream()
        if !bytes.isEmpty { input.yield(ByteBuffer(bytes: bytes)) }
        input.finish()
        return TransportBody(chunks)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        switch source {
        case .http(let body): AsyncIterator(.http(body.makeAsyncIterator()))
        case .chunks(let chunks): AsyncIterator(.chunks(chunks.makeAsyncIterator()))
        }
    }

    /// Reads the whole body; more than `maxBytes` throws.
    func collect(upTo maxBytes: Int) async throws -> [UInt8] {
        if case .http(let body) = source { return Array(buffer: try await body.collect(upTo: maxBytes)) }
        var bytes: [UInt8] = []
        for try await chunk in self {
            guard bytes.count + chunk.readableBytes <= maxBytes else {
                throw ClientError(.transport, "the response is larger than \(maxBytes) bytes")
            }
            bytes += chunk.readableBytesView
        }
        return bytes
    }

    /// Yields the body's chunks in order.
    public struct AsyncIterator: AsyncIteratorProtocol {
        fileprivate enum Inner {
            case http(HTTPClientResponse.Body.AsyncIterator)
            case chunks(AsyncThrowingStream<ByteBuffer, any Error>.AsyncIterator)
        }

        private var inner: Inner

        fileprivate init(_ inner: Inner) {
            self.inner = inner
        }

        public mutating func next() async throws -> ByteBuffer? {
            switch inner {
            case .http(var iterator):
                let chunk = try await iterator.next()
                inner = .http(iterator)
                return chunk
            case .chunks(var iterator):
                let chunk = try await iterator.next()
                inner = .chunks(iterator)
                return chunk
            }
        }
    }
}
