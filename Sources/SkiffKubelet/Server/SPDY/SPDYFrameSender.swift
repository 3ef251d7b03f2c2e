/// Sends a session's frames from any task, in one order: header blocks share one zlib stream,
/// so frames must reach the connection in the order they are encoded. `send` queues; `run`
/// encodes and writes the queue until `finish`.
struct SPDYFrameSender: Sendable {
    private let frames: AsyncStream<SPDYFrame>
    private let continuation: AsyncStream<SPDYFrame>.Continuation

    init() {
        (frames, continuation) = AsyncStream.makeStream()
    }

    func send(_ frame: SPDYFrame) {
        continuation.yield(frame)
    }

    /// Ends `run` once the queued frames are written.
    func finish() {
        continuation.finish()
    }

    /// Writes the frames as they are sent, until `finish` or a failed write.
    func run(write: @Sendable ([UInt8]) async throws -> Void) async throws {
        let encoder = try SPDYFrameEncoder()
        for await frame in frames { try await write(try encoder.encode(frame)) }
    }
}
