import Foundation
import Glibc

/// A pipe whose two ends are closed on exec, made in one step (`pipe2` with `O_CLOEXEC`).
/// Foundation's `Pipe` leaves its ends inheritable: a child spawned by another thread at the same
/// moment (a container that runs for hours) kept a copy of another tool's output pipe, so that
/// tool's output never ended. A child gets the ends given as its stdio all the same (they are
/// copied onto 0, 1 and 2, which clears the flag on the copies).
public struct HostPipe: Sendable {
    /// The end the reader keeps.
    public let reading: FileHandle
    /// The end the writer keeps.
    public let writing: FileHandle

    /// A new pipe; throws the system's error when none can be made.
    public init() throws {
        var descriptors: [Int32] = [0, 0]
        guard systemPipe2(&descriptors, O_CLOEXEC) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        reading = FileHandle(fileDescriptor: descriptors[0], closeOnDealloc: true)
        writing = FileHandle(fileDescriptor: descriptors[1], closeOnDealloc: true)
    }
}

/// glibc's `pipe2`, which the Glibc module leaves out (it is a GNU extension).
@_silgen_name("pipe2")
private func systemPipe2(_ descriptors: UnsafeMutablePointer<Int32>, _ flags: Int32) -> Int32
