import DequeModule
import NIOCore
import SkiffAPI

/// The events of one watch as an `AsyncSequence`, read from the server's stream as they come.
///
/// It ends (returns nil) when the server closes the stream, e.g. at the watch's timeout, and
/// when the iterating task is cancelled; the connection is closed then. Iterate it once.
public struct WatchStream<Object: Sendable>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>

    private let body: TransportBody
    private let decoder: WatchEventDecoder<Object>

    init(body: TransportBody, decoder: WatchEventDecoder<Object>) {
        self.body = body
        self.decoder = decoder
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(chunks: body.makeAsyncIterator(), decoder: decoder)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        private var chunks: TransportBody.AsyncIterator
        private var decoder: WatchEventDecoder<Object>
        private var pending = Deque<WatchEvent<Object>>()
        private var ended = false

        init(chunks: TransportBody.AsyncIterator, decoder: WatchEventDecoder<Object>) {
            self.chunks = chunks
            self.decoder = decoder
        }

        public mutating func next() async throws -> WatchEvent<Object>? {
            while true {
                if let event = pending.popFirst() { return event }
                guard !ended, !Task.isCancelled else { return nil }
                let chunk: ByteBufferView?
                do {
                    chunk = try await chunks.next()?.readableBytesView
                } catch {
                    ended = true
                    if error is CancellationError || Task.isCancelled { return nil }
                    throw ClientError(.transport, "the watch stream broke", underlying: error)
                }
                guard let chunk else {
                    ended = true
                    if let last = try decoder.finish() { return last }
                    return nil
                }
                pending.append(contentsOf: try decoder.decode(chunk))
            }
        }
    }
}
