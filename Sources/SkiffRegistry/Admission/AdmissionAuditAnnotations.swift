import Synchronization

/// The audit annotations admission plugins give one request (a ValidatingAdmissionPolicy's
/// `auditAnnotations` and `validation_failure`): the server adds them to the request's audit
/// event. A key keeps its first value, as upstream refuses to overwrite an annotation.
public final class AdmissionAuditAnnotations: Sendable {
    private let entries = Mutex<[(key: String, value: String)]>([])

    public init() {}

    public func add(_ key: String, _ value: String) {
        entries.withLock { entries in
            if !entries.contains(where: { $0.key == key }) { entries.append((key, value)) }
        }
    }

    /// Every annotation, in the order given.
    public var all: [(key: String, value: String)] { entries.withLock { $0 } }
}
