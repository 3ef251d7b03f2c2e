/// A plugin's reason to refuse a write; the chain answers it as `403 Forbidden`:
/// `<resource> "<name>" is forbidden: <reason>` (upstream's `admission.NewForbidden`).
public struct AdmissionRefusal: Error, Sendable, CustomStringConvertible {
    public var reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
