/// The streams of an interactive exec or attach (CRI's `Exec`/`Attach` with the kubelet's
/// streaming server in front): what the client sends, where the output goes.
public struct ExecStreams: Sendable {
    /// One of the process's output streams.
    public enum Output: Sendable, Hashable {
        case stdout
        case stderr
    }

    /// The command to run (empty for attach).
    public var command: [String]
    /// Whether the process gets a terminal (output then comes on `stdout` only).
    public var tty: Bool
    /// The client's standard input, nil when it sends none; ends when the client closes it.
    public var stdin: AsyncStream<[UInt8]>?
    /// The client's terminal size changes (TTY sessions), nil when it sends none.
    public var resize: AsyncStream<TerminalSize>?
    /// Receives the process's output as it comes.
    public var output: @Sendable (Output, [UInt8]) async -> Void

    /// Streams for `command`.
    public init(
        command: [String], tty: Bool = false, stdin: AsyncStream<[UInt8]>? = nil, resize: AsyncStream<TerminalSize>? = nil,
        output: @escaping @Sendable (Output, [UInt8]) async -> Void
    ) {
        self.command = command
        self.tty = tty
        self.stdin = stdin
        self.resize = resize
        self.output = output
    }
}
