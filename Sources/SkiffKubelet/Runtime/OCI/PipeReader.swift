import Dispatch
import Foundation

/// Reads the read end of a child's output pipe to its end with Dispatch I/O, and closes it.
///
/// `FileHandle.readabilityHandler` is not used: on Linux it now and then never reported the end of
/// a pipe whose writers had all exited, which left `kubectl exec` waiting for good, and it never
/// closed the read end, so every exec leaked two descriptors.
enum PipeReader {
    private static let queue = DispatchQueue(label: "skiff.kubelet.pipes", attributes: .concurrent)

    /// Calls `chunk` with each piece of output as it arrives, in order, then `end` once the last
    /// writer has closed the pipe (or reading failed); the read end is closed before `end` runs.
    /// Call it after the child has started: the pipe's `FileHandle` is closed here.
    static func read(_ pipe: Pipe, chunk: @escaping @Sendable ([UInt8]) -> Void, end: @escaping @Sendable () -> Void) {
        let descriptor = dup(pipe.fileHandleForReading.fileDescriptor)
        try? pipe.fileHandleForReading.close()
        guard descriptor >= 0 else { return end() }
        let channel = DispatchIO(type: .stream, fileDescriptor: descriptor, queue: queue) { _ in
            close(descriptor)
            end()
        }
        channel.setLimit(lowWater: 1)
        channel.read(offset: 0, length: Int.max, queue: queue) { done, data, _ in
            if let data, !data.isEmpty { chunk(Array(data)) }
            if done { channel.close() }
        }
    }
}
