import Foundation

/// A pseudo-terminal pair for a process run with a TTY: the process gets the secondary side as
/// its stdin, stdout and stderr; the kubelet writes the client's input to the primary side, reads
/// the output from it, and sets its size.
///
/// runc's foreground terminal mode (`runc exec --tty`, `runc run` with `process.terminal`) wants
/// such a terminal: it makes the container's own pty (a `/dev/pts/N` of the container's devpts),
/// puts our terminal in raw mode and copies between the two; on SIGWINCH it copies our size to
/// the container's. runc runs as the leader of a new session whose controlling terminal this is
/// (`command(_:)`), so a size set here reaches it as the kernel's SIGWINCH. (runc's
/// `--console-socket` hand-over of the container's pty works only with `--detach`, whose exit
/// code only a child subreaper could collect.)
final class PseudoTerminal: Sendable {
    /// The primary side (the kubelet's).
    let primary: FileHandle
    /// The secondary side (the process's); close it once the process has been started.
    let secondary: FileHandle

    /// A new pair: `/dev/ptmx` opened (what `posix_openpt` does; Glibc's Swift module hides the
    /// XSI calls), unlocked (TIOCSPTLCK, `unlockpt`), its `/dev/pts/N` opened (TIOCGPTN, `ptsname`).
    init() throws {
        let primary = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard primary >= 0 else { throw POSIXError.last }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(primary, Self.setLock, &unlock) == 0, ioctl(primary, Self.getNumber, &number) == 0 else {
            let error = POSIXError.last
            close(primary)
            throw error
        }
        let secondary = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard secondary >= 0 else {
            let error = POSIXError.last
            close(primary)
            throw error
        }
        self.primary = FileHandle(fileDescriptor: primary, closeOnDealloc: true)
        self.secondary = FileHandle(fileDescriptor: secondary, closeOnDealloc: true)
    }

    /// `TIOCSPTLCK` (`_IOW('T', 0x31, int)`) and `TIOCGPTN` (`_IOR('T', 0x30, unsigned int)`):
    /// function-like macros, which Swift does not import.
    private static let setLock: UInt = 0x4004_5431
    private static let getNumber: UInt = 0x8004_5430

    /// `arguments` run as the leader of a new session with the secondary side (its stdin) as its
    /// controlling terminal, waited for (util-linux `setsid --ctty --wait`).
    static func command(_ arguments: [String]) -> [String] {
        ["setsid", "--ctty", "--wait"] + arguments
    }

    /// Sets the terminal's size (TIOCSWINSZ); the kernel signals SIGWINCH to the session's process.
    func resize(_ size: TerminalSize) {
        var window = winsize(ws_row: size.height, ws_col: size.width, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(primary.fileDescriptor, UInt(TIOCSWINSZ), &window)
    }

    /// The output the process writes to the terminal, until every holder of the secondary side
    /// has closed it.
    func output() -> AsyncStream<[UInt8]> {
        DescriptorReader.chunks(of: primary)
    }

    /// Writes the client's input to the terminal; false once the terminal is gone.
    func write(_ bytes: [UInt8]) -> Bool {
        (try? primary.write(contentsOf: bytes)) != nil
    }
}
