import Synchronization
import X509

/// Certificates found signed by a trusted authority and usable for client authentication (the
/// same bytes always are, so the check need not be repeated). At most `capacity` are kept: when
/// full, the set starts again.
final class VerifiedCertificates: Sendable {
    private let certificates = Mutex<Set<Certificate>>([])
    let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    func contains(_ certificate: Certificate) -> Bool {
        certificates.withLock { $0.contains(certificate) }
    }

    func insert(_ certificate: Certificate) {
        certificates.withLock { certificates in
            if certificates.count >= capacity { certificates.removeAll() }
            certificates.insert(certificate)
        }
    }
}
