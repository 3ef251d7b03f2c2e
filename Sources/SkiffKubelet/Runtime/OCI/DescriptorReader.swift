// DispatchIO is not marked Sendable; its calls (close) are thread-safe.
@preconcurrency import Dispatch
import Foundation

/// Reads a pipe, a FIFO or a pseudo-terminal's primary side with Dispatch I/O, without blocking a
/// thread: the chunks as they arrive until the end (EOF, or EIO once a terminal's other side is
/// closed).
///
/// Neither `FileHandle.readabilityHandler` nor a dispatch read source on the handle's own
/// descriptor is used: with either, the end of an exec's output pipe was now and then never seen
/// on Linux (swift-corelibs-foundation#3275; a `kubectl exec` of a missing command hung within a
/// few dozen execs under load). A channel on a duplicate of the descriptor, closed by its cleanup
/// handler, did not hang in hundreds.
enum DescriptorReader {
    private static let queue = DispatchQueue(label: "skiff.kubelet.output", attributes: .concurrent)

    /// The chunks read from `handle` (through a close-on-exec duplicate of its descriptor: the
    /// handle itself may be closed once this returns).
    static func chunks(of handle: FileHandle) -> AsyncStream<[UInt8]> {
        let (stream, sink) = AsyncStream<[UInt8]>.makeStream()
        let descriptor = fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else {
            sink.finish()
            return stream
        }
        let channel = DispatchIO(type: .stream, fileDescriptor: descriptor, queue: queue) { _ in
            close(descriptor)
            sink.finish()
        }
        channel.setLimit(lowWater: 1)
        channel.read(offset: 0, length: Int.max, queue: queue) { done, data, _ in
            if let data, !data.isEmpty { sink.yield(Array(data)) }
            if done { channel.close() }
        }
        sink.onTermination = { _ in channel.close(flags: .stop) }
        return stream
    }

    /// The chunks of several outputs as they come, until all have ended (each read as `chunks`
    /// reads it: the handles may be closed once this returns).
    static func merged(_ outputs: [(ExecStreams.Output, FileHandle)]) -> AsyncStream<(ExecStreams.Output, [UInt8])> {
        let (stream, sink) = AsyncStream<(ExecStreams.Output, [UInt8])>.makeStream()
        let sources = outputs.map { output, handle in (output, chunks(of: handle)) }
        let readers = Task {
            await withTaskGroup(of: Void.self) { group in
                for (output, source) in sources {
                    group.addTask {
                        for await bytes in source { sink.yield((output, bytes)) }
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
