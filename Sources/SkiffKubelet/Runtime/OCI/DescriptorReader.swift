import Foundation

/// Reads a pipe, a FIFO or a pseudo-terminal's primary side to its end (EOF, or EIO once a
/// terminal's other side is closed) on a thread of its own, with blocking reads.
///
/// Nothing of libdispatch's event loop is used: with `FileHandle.readabilityHandler` the end of an
/// exec's pipe was now and then never seen on Linux (swift-corelibs-foundation#3275; a `kubectl
/// exec` of a missing command hung), and with dispatch sources or Dispatch I/O channels on these
/// short-lived descriptors the kubelet now and then crashed in `_dispatch_event_loop_drain` (a
/// probe of 60 execs: a hang, or a crash in 2 runs of 5). A reader thread lives as long as its
/// output: an exec's, or a container's.
enum DescriptorReader {
    /// The chunks read from `handle` (through a close-on-exec duplicate of its descriptor: the
    /// handle itself may be closed once this returns).
    static func chunks(of handle: FileHandle) -> AsyncStream<[UInt8]> {
        let (stream, sink) = AsyncStream<[UInt8]>.makeStream()
        let descriptor = fcntl(handle.fileDescriptor, F_DUPFD_CLOEXEC, 0)
        guard descriptor >= 0 else {
            sink.finish()
            return stream
        }
        // Reads block: a FIFO is opened non-blocking only so that opening it does not wait for a writer.
        let flags = fcntl(descriptor, F_GETFL)
        if flags >= 0 { _ = fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    sink.yield(Array(buffer[..<count]))
                } else if count < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(descriptor)
            sink.finish()
        }
        reader.name = "skiff-output-reader"
        reader.start()
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
