// DispatchSource is not marked Sendable; its calls (cancel) are thread-safe.
@preconcurrency import Dispatch
import Foundation

/// Reads a pipe or a pseudo-terminal's primary side as it becomes readable, without blocking a
/// thread: the chunks until the end (EOF, or EIO once a terminal's other side is closed).
enum DescriptorReader {
    /// The chunks read from `handle`, which stays open until they end.
    static func chunks(of handle: FileHandle) -> AsyncStream<[UInt8]> {
        let (stream, sink) = AsyncStream<[UInt8]>.makeStream()
        let descriptor = handle.fileDescriptor
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "skiff.reader"))
        source.setEventHandler {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                sink.yield(Array(buffer[..<count]))
            } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                source.cancel()
            }
        }
        source.setCancelHandler {
            sink.finish()
            withExtendedLifetime(handle) {}
        }
        sink.onTermination = { _ in source.cancel() }
        source.resume()
        return stream
    }

    /// The chunks of several outputs as they come, until all have ended.
    static func merged(_ outputs: [(ExecStreams.Output, FileHandle)]) -> AsyncStream<(ExecStreams.Output, [UInt8])> {
        let (stream, sink) = AsyncStream<(ExecStreams.Output, [UInt8])>.makeStream()
        let readers = Task {
            await withTaskGroup(of: Void.self) { group in
                for (output, handle) in outputs {
                    group.addTask {
                        for await bytes in chunks(of: handle) { sink.yield((output, bytes)) }
                    }
                }
            }
            sink.finish()
        }
        sink.onTermination = { _ in readers.cancel() }
        return stream
    }
}

extension POSIXError {
    /// The error `errno` holds (after a failed system call).
    static var last: POSIXError { POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
}
