import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffPKI

/// Signs approved CertificateSigningRequests for Kubernetes' built-in signers with the cluster
/// CA (kube-controller-manager's `csrsigning` controller, its four signers in one): a request
/// that is approved, not failed and not yet issued is checked against its signer's rules; one
/// that breaks them gets a `Failed` condition (`SignerValidationFailure`), the others get the
/// certificate in `status.certificate`, valid for `spec.expirationSeconds` (at least 10 minutes)
/// or the configured duration, whichever is shorter. Requests for other signers are left alone.
public struct CertificateSigningController: Sendable {
    /// The CA and how long its certificates last (upstream's `--cluster-signing-cert-file`,
    /// `--cluster-signing-key-file` and `--cluster-signing-duration`).
    public struct Configuration: Sendable {
        public var authority: CertificateAuthority
        /// The longest validity a certificate gets (upstream's default: a year).
        public var duration: Duration = .seconds(365 * 24 * 3600)

        public init(authority: CertificateAuthority) {
            self.authority = authority
        }
    }

    private let controller: Controller<CertificatesV1.CertificateSigningRequest>

    public init(context: ControllerContext, configuration: Configuration, workers: Int = 5) {
        let requests = context.informers.informer(for: CertificatesV1.CertificateSigningRequest.self)
        controller = Controller(
            configuration: .init(name: "csrsigning", workers: workers), informer: requests, key: \.cacheKey,
            reconciler: Sync(
                requests: requests.lister, client: context.client.certificates.v1.certificateSigningRequests(), configuration: configuration,
                clock: context.clock),
            clock: context.clock, logger: context.logger(for: "csrsigning"))
    }

    /// Signs requests until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let requests: TypedLister<CertificatesV1.CertificateSigningRequest>
        let client: ResourceClient<CertificatesV1.CertificateSigningRequest>
        let configuration: Configuration
        let clock: any TimestampClock

        /// Requests shorter than this are stretched to it (twice the backdating).
        static let minimumDuration: TimeInterval = 600

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard var csr = requests.get(key: key), csr.status?.certificate?.isEmpty ?? true,
                csr.hasTrueCondition("Approved"), !csr.hasTrueCondition("Failed"), let signer = KubernetesSigner(rawValue: csr.spec.signerName)
            else { return .done }
            let spec = csr.spec
            let usages = spec.usages ?? []
            let request: CertificateRequest
            do {
                request = try csr.parsedRequest()
                try signer.validate(request, usages: usages)
            } catch {
                let now = clock.now
                var status = csr.status ?? CertificatesV1.CertificateSigningRequestStatus()
                status.conditions = (status.conditions ?? []) + [
                    CertificatesV1.CertificateSigningRequestCondition(
                        lastTransitionTime: now, lastUpdateTime: now, message: "\(error)", reason: "SignerValidationFailure", status: "True",
                        type: "Failed")
                ]
                csr.status = status
                logger.info("refusing a certificate signing request", metadata: ["reason": "\(error)"])
                _ = try await client.updateStatus(csr)
                return .done
            }
            let certificate = try configuration.authority.sign(
                request, usages: usages, duration: duration(requested: spec.expirationSeconds), now: Self.date(clock.now))
            var status = csr.status ?? CertificatesV1.CertificateSigningRequestStatus()
            status.certificate = Data(try certificate.serializeAsPEM().pemString.utf8 + [UInt8(ascii: "\n")]).base64EncodedString()
            csr.status = status
            logger.info("signed a certificate", metadata: ["signer": "\(signer.rawValue)"])
            _ = try await client.updateStatus(csr)
            return .done
        }

        static func date(_ timestamp: Timestamp) -> Date {
            Date(timeIntervalSince1970: TimeInterval(timestamp.seconds) + TimeInterval(timestamp.nanoseconds) / 1e9)
        }

        /// The requested validity, within [10 minutes, the configured duration].
        func duration(requested seconds: Int32?) -> TimeInterval {
            let longest = TimeInterval(configuration.duration.components.seconds)
            guard let seconds else { return longest }
            return min(max(TimeInterval(seconds), Self.minimumDuration), longest)
        }
    }
}
