import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffPKI

/// Approves kubelets' client certificate requests (kube-controller-manager's `csrapproving`
/// controller): a pending request for the `kubernetes.io/kube-apiserver-client-kubelet` signer
/// whose subject and usages are a kubelet's is approved, with reason `AutoApproved`, when a
/// SubjectAccessReview allows its requester to `create` `certificatesigningrequests/selfnodeclient`
/// (a node renewing its own certificate: the requester is the subject) or
/// `certificatesigningrequests/nodeclient` (a bootstrapping kubelet asking for any node's).
/// Recognized requests that no review allows are retried with back-off, as upstream does; other
/// requests are left to people (`kubectl certificate approve`).
public struct CertificateApprovingController: Sendable {
    private let controller: Controller<CertificatesV1.CertificateSigningRequest>

    public init(context: ControllerContext, workers: Int = 5) {
        let requests = context.informers.informer(for: CertificatesV1.CertificateSigningRequest.self)
        controller = Controller(
            configuration: .init(name: "csrapproving", workers: workers), informer: requests, key: \.cacheKey,
            reconciler: Sync(
                requests: requests.lister, client: context.client.certificates.v1.certificateSigningRequests(),
                reviews: context.client.dynamic.resource(Self.reviews), clock: context.clock),
            clock: context.clock, logger: context.logger(for: "csrapproving"))
    }

    static let reviews = GroupVersionResource(group: "authorization.k8s.io", version: "v1", resource: "subjectaccessreviews")

    /// Approves requests until cancelled.
    public func run() async {
        await controller.run()
    }

    /// A kind of request the controller recognizes, the permission its requester needs, and the
    /// approval's message (upstream's recognizers, in upstream's order).
    struct Recognizer: Sendable {
        var subresource: String
        var message: String
        /// Whether the request is the requester's own (its subject is the requester).
        var requiresSelf: Bool

        static let all = [
            Recognizer(subresource: "selfnodeclient", message: "Auto approving self kubelet client certificate after SubjectAccessReview.",
                       requiresSelf: true),
            Recognizer(subresource: "nodeclient", message: "Auto approving kubelet client certificate after SubjectAccessReview.",
                       requiresSelf: false),
        ]

        func recognizes(_ csr: CertificatesV1.CertificateSigningRequest, _ request: CertificateRequest) -> Bool {
            guard csr.spec.signerName == KubernetesSigner.kubeletClient.rawValue,
                  (try? KubernetesSigner.kubeletClient.validate(request, usages: csr.spec.usages ?? [])) != nil
            else { return false }
            return !requiresSelf || csr.spec.username == request.identity.commonName
        }
    }

    private struct Sync: Reconciler {
        let requests: TypedLister<CertificatesV1.CertificateSigningRequest>
        let client: ResourceClient<CertificatesV1.CertificateSigningRequest>
        let reviews: ResourceClient<JSONValue>
        let clock: any TimestampClock

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard var csr = requests.get(key: key), csr.status?.certificate?.isEmpty ?? true,
                  csr.condition("Approved") == nil, csr.condition("Denied") == nil
            else { return .done }
            let request: CertificateRequest
            do {
                request = try csr.parsedRequest()
            } catch {
                throw TerminalError(PKIError("unable to parse csr \"\(csr.name)\": \(error)"))
            }
            var tried: [String] = []
            for recognizer in Recognizer.all where recognizer.recognizes(csr, request) {
                tried.append(recognizer.subresource)
                guard try await allows(csr, recognizer.subresource) else { continue }
                let now = clock.now
                var status = csr.status ?? CertificatesV1.CertificateSigningRequestStatus()
                status.conditions = (status.conditions ?? []) + [
                    CertificatesV1.CertificateSigningRequestCondition(
                        lastTransitionTime: now, lastUpdateTime: now, message: recognizer.message, reason: "AutoApproved", status: "True",
                        type: "Approved")
                ]
                csr.status = status
                _ = try await client.update(csr, subresource: "approval")
                logger.info("approved a certificate signing request", metadata: ["as": "\(recognizer.subresource)"])
                return .done
            }
            guard tried.isEmpty else {
                logger.debug("recognized a request but no subject access review allowed it", metadata: ["tried": "\(tried)"])
                return .requeue
            }
            return .done
        }

        /// Whether the requester may `create` `certificatesigningrequests/<subresource>`.
        private func allows(_ csr: CertificatesV1.CertificateSigningRequest, _ subresource: String) async throws -> Bool {
            let spec = csr.spec
            var reviewSpec: JSONValue = [
                "user": .string(spec.username ?? ""), "groups": .array((spec.groups ?? []).map(JSONValue.string)),
                "extra": .object((spec.extra ?? [:]).mapValues { .array($0.map(JSONValue.string)) }),
                "resourceAttributes": [
                    "group": "certificates.k8s.io", "resource": "certificatesigningrequests", "verb": "create",
                    "subresource": .string(subresource), "version": "*",
                ],
            ]
            if let uid = spec.uid, !uid.isEmpty { reviewSpec["uid"] = .string(uid) }
            let review: JSONValue = ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": reviewSpec]
            return try await reviews.create(review)[path: "status", "allowed"]?.boolValue ?? false
        }
    }
}
