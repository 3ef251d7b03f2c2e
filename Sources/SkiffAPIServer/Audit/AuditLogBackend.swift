import Foundation
import Logging
import ServiceLifecycle
import SkiffAPI

/// The audit log (`--audit-log-path`): events handed over by requests without waiting, written
/// as JSON lines (or upstream's legacy lines) by one task, to standard output (`-`) or to a file rotated as upstream's. On
/// graceful shutdown the events already handed over are written before it ends.
public final class AuditLogBackend: AuditSink {
    private let events: AsyncStream<AuditEvent>
    private let continuation: AsyncStream<AuditEvent>.Continuation
    private let path: String
    private let legacy: Bool
    private let limits: RotatingLogFile.Limits
    private let clock: any TimestampClock
    private let logger: Logger

    /// A log at `path` (`-`: standard output) rotated past `maxSizeMB` megabytes, keeping
    /// `maxBackups` backups for `maxAgeDays` days (0: upstream's defaults, 100 MB, all, forever);
    /// `legacy` writes upstream's legacy lines instead of JSON.
    public init(path: String, maxSizeMB: Int = 0, maxBackups: Int = 0, maxAgeDays: Int = 0, legacy: Bool = false,
                clock: any TimestampClock = SystemClock(), logger: Logger) {
        let (events, continuation) = AsyncStream.makeStream(of: AuditEvent.self)
        self.events = events
        self.continuation = continuation
        self.path = path
        self.legacy = legacy
        self.limits = RotatingLogFile.Limits(maxSizeMB: maxSizeMB, maxBackups: maxBackups, maxAgeDays: maxAgeDays)
        self.clock = clock
        self.logger = logger
    }

    public func record(_ event: AuditEvent) async {
        continuation.yield(event)
    }

    /// Writes events until graceful shutdown (or `finish()`), then the ones left.
    public func run() async {
        await withGracefulShutdownHandler {
            await writeAll()
        } onGracefulShutdown: {
            self.continuation.finish()
        }
    }

    /// Ends the log: the events recorded so far are still written.
    public func finish() {
        continuation.finish()
    }

    private func writeAll() async {
        let file = path == "-" ? nil : RotatingLogFile(path: path, limits: limits, clock: clock)
        defer { file?.close() }
        for await event in events {
            let line = legacy ? event.legacyLine() : event.jsonLine()
            do {
                if let file {
                    try file.write(line)
                } else {
                    try FileHandle.standardOutput.write(contentsOf: line)
                }
            } catch {
                logger.error("cannot write the audit log", metadata: ["path": "\(path)", "error": "\(error)"])
            }
        }
    }
}
