import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffPKI

/// Deletes CertificateSigningRequests that have served their purpose (kube-controller-manager's
/// `csrcleaner` controller): an issued request an hour after its approval, a denied or failed one
/// an hour after that condition, a pending one (no condition) a day after its creation, and an
/// issued one once its certificate has expired. Each request is looked at again when its time
/// comes, on the controller's clock (upstream polls every hour).
public struct CertificateCleaningController: Sendable {
    /// How long requests of each kind are kept (upstream's constants).
    static let issuedRetention: Duration = .seconds(3600)
    static let deniedRetention: Duration = .seconds(3600)
    static let failedRetention: Duration = .seconds(3600)
    static let pendingRetention: Duration = .seconds(24 * 3600)

    private let controller: Controller<CertificatesV1.CertificateSigningRequest>

    public init(context: ControllerContext, workers: Int = 1) {
        let requests = context.informers.informer(for: CertificatesV1.CertificateSigningRequest.self)
        controller = Controller(
            configuration: .init(name: "csrcleaner", workers: workers), informer: requests, key: \.cacheKey,
            reconciler: Sync(requests: requests.lister, client: context.client.certificates.v1.certificateSigningRequests(), clock: context.clock),
            clock: context.clock, logger: context.logger(for: "csrcleaner"))
    }

    /// Cleans requests until cancelled.
    public func run() async {
        await controller.run()
    }

    /// When `csr` is due for deletion, and why; nil when it is kept for good (approved, not issued).
    static func deletion(of csr: CertificatesV1.CertificateSigningRequest) -> (time: Timestamp, reason: String)? {
        var due: [(time: Timestamp, reason: String)] = []
        let issued = !(csr.status?.certificate ?? "").isEmpty
        let approved = csr.condition("Approved")
        if issued, let updated = approved?.lastUpdateTime {
            due.append((updated.advanced(by: issuedRetention), "issued"))
        }
        if let updated = csr.condition("Denied")?.lastUpdateTime {
            due.append((updated.advanced(by: deniedRetention), "denied"))
        }
        if let updated = csr.condition("Failed")?.lastUpdateTime {
            due.append((updated.advanced(by: failedRetention), "failed"))
        }
        if (csr.status?.conditions ?? []).isEmpty, let created = csr.metadata?.creationTimestamp {
            due.append((created.advanced(by: pendingRetention), "pending"))
        }
        if issued, approved != nil, let expiry = certificateExpiry(of: csr) {
            due.append((expiry, "expired"))
        }
        return due.min { $0.time < $1.time }
    }

    /// The notAfter of the issued certificate (`status.certificate` is base64 of PEM).
    private static func certificateExpiry(of csr: CertificatesV1.CertificateSigningRequest) -> Timestamp? {
        guard let encoded = csr.status?.certificate, let pem = Data(base64Encoded: encoded),
              let expiry = CertificateBundle.expiry(String(decoding: pem, as: UTF8.self))
        else { return nil }
        let seconds = expiry.timeIntervalSince1970
        return Timestamp(seconds: Int64(seconds.rounded(.down)), nanoseconds: Int32((seconds - seconds.rounded(.down)) * 1e9))
    }

    private struct Sync: Reconciler {
        let requests: TypedLister<CertificatesV1.CertificateSigningRequest>
        let client: ResourceClient<CertificatesV1.CertificateSigningRequest>
        let clock: any TimestampClock

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let csr = requests.get(key: key), let due = CertificateCleaningController.deletion(of: csr) else { return .done }
            let now = clock.now
            guard due.time <= now else { return .requeueAfter(now.duration(to: due.time)) }
            do {
                try await client.delete(csr.name)
            } catch let error as APIError where error.isNotFound {
                return .done
            }
            logger.info("deleted a certificate signing request", metadata: ["reason": "\(due.reason)"])
            return .done
        }
    }
}
