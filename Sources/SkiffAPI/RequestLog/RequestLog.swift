#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The request log of a client or a server at a klog verbosity (`-v N`), shared by SkiffClient's
/// request logging and the API server's: which lines a level shows, credentials masked, bodies
/// truncated as client-go truncates them, and lines written in klog's layout.
public struct RequestLog: Sendable {
    /// The verbosity: 0 logs nothing; 6 a line per request, 7 headers, 8 bodies (as `kubectl -v N`).
    public let verbosity: Int
    private let sink: @Sendable (String) -> Void

    /// A log at `verbosity` handing each line to `write`.
    public init(verbosity: Int, write: @escaping @Sendable (String) -> Void) {
        self.verbosity = verbosity
        sink = write
    }

    /// A log writing to standard error in klog's layout (`I1206 04:50:40.123456   4242 source] message`),
    /// its timestamps read from `clock`.
    public static func standardError(verbosity: Int, source: String, clock: any TimestampClock = SystemClock()) -> RequestLog {
        let pid = Int(getpid())
        return RequestLog(verbosity: verbosity) { message in
            let line = klogLine(message, at: clock.now, pid: pid, source: source) + "\n"
            // One write(2) a line, so lines of concurrent requests do not interleave.
            _ = line.utf8CString.withUnsafeBufferPointer { write(2, $0.baseAddress, $0.count - 1) }
        }
    }

    /// Whether lines of `level` are written.
    public func isEnabled(_ level: Int) -> Bool { verbosity >= level && level > 0 }

    /// Writes `message` if `level` is enabled.
    public func log(_ message: @autoclosure () -> String, at level: Int) {
        if isEnabled(level) { sink(message()) }
    }

    /// klog's header and a message: `I` (info), month and day, time to the microsecond, the
    /// process id right-aligned in seven columns, the source, `]`.
    public static func klogLine(_ message: String, at time: Timestamp, pid: Int, source: String) -> String {
        let stamp = Array(time.rfc3339Micro)  // 2026-12-06T04:50:40.123456Z
        let month = String(stamp[5..<7]), day = String(stamp[8..<10]), clock = String(stamp[11..<26])
        let pidText = String(pid)
        let padding = String(repeating: " ", count: max(0, 7 - pidText.count))
        return "I\(month)\(day) \(clock) \(padding)\(pidText) \(source)] \(message)"
    }

    /// Authentication schemes whose name is kept when a credential is masked (client-go's list).
    private static let knownAuthorizationSchemes: Set<String> = ["bearer", "basic", "negotiate"]

    /// A header's value as the log shows it: `Authorization` becomes `Bearer <masked>` (the scheme
    /// kept when it is a known one, `<masked>` otherwise); other headers are shown as they are.
    public static func masked(header name: String, value: String) -> String {
        guard name.lowercased() == "authorization", !value.isEmpty else { return value }
        let scheme = value.split(separator: " ", maxSplits: 1).first.map(String.init) ?? value
        guard knownAuthorizationSchemes.contains(scheme.lowercased()) else { return "<masked>" }
        return value.count > scheme.count + 1 ? scheme + " <masked>" : scheme
    }

    /// A body as the log shows it: whole at verbosity 10 and above, else cut to 10,240 characters
    /// at 9 and 1,024 below, with ` [truncated N chars]` saying how much was left out.
    public func truncated(_ body: [UInt8]) -> String {
        let text = String(decoding: body, as: UTF8.self)
        let limit: Int
        switch verbosity {
        case 10...: return text
        case 9: limit = 10_240
        default: limit = 1_024
        }
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + " [truncated \(text.count - limit) chars]"
    }
}
