import Synchronization

/// The warnings admission plugins give one request (PodSecurity's `would violate ...`); the
/// server sends them back as `Warning` headers, each once, in the order given.
public final class AdmissionWarnings: Sendable {
    private let messages = Mutex<[String]>([])

    public init() {}

    public func add(_ message: String) {
        messages.withLock { if !$0.contains(message) { $0.append(message) } }
    }

    public var all: [String] { messages.withLock { $0 } }
}
