/// The signers built into Kubernetes (`spec.signerName` of a CertificateSigningRequest) and what
/// each accepts, as kube-controller-manager's csrsigning controller checks before it signs.
public enum KubernetesSigner: String, Sendable, CaseIterable {
    /// Client certificates the API server honours (`kubectl` users).
    case kubeAPIServerClient = "kubernetes.io/kube-apiserver-client"
    /// Client certificates of kubelets (`system:node:NAME` in `system:nodes`).
    case kubeletClient = "kubernetes.io/kube-apiserver-client-kubelet"
    /// Serving certificates of kubelets.
    case kubeletServing = "kubernetes.io/kubelet-serving"
    /// The v1beta1 default, with no restrictions.
    case legacyUnknown = "kubernetes.io/legacy-unknown"

    /// Throws, with upstream's message, when `request` asking for `usages` is not one this signer
    /// may sign.
    public func validate(_ request: CertificateRequest, usages: [String]) throws(PKIError) {
        switch self {
        case .kubeAPIServerClient: try Self.validateClientUsages(usages)
        case .kubeletClient: try Self.validateKubeletClient(request, usages: Set(usages))
        case .kubeletServing: try Self.validateKubeletServing(request, usages: Set(usages))
        case .legacyUnknown: return
        }
    }

    private static func validateClientUsages(_ usages: [String]) throws(PKIError) {
        var hasClientAuth = false
        for usage in usages {
            switch usage {
            case "digital signature", "key encipherment": continue
            case "client auth": hasClientAuth = true
            default: throw PKIError("invalid usage for client certificate: \(usage)")
            }
        }
        guard hasClientAuth else { throw PKIError("missing required usage for client certificate: client auth") }
    }

    private static func validateKubeletClient(_ request: CertificateRequest, usages: Set<String>) throws(PKIError) {
        guard request.identity.organizations == ["system:nodes"] else { throw PKIError("subject organization is not system:nodes") }
        guard request.dnsNames.isEmpty else { throw PKIError("DNS subjectAltNames are not allowed") }
        guard request.emailAddressCount == 0 else { throw PKIError("Email subjectAltNames are not allowed") }
        guard request.ipAddressCount == 0 else { throw PKIError("IP subjectAltNames are not allowed") }
        guard request.uriCount == 0 else { throw PKIError("URI subjectAltNames are not allowed") }
        guard request.identity.commonName.hasPrefix("system:node:") else {
            throw PKIError("subject common name does not begin with system:node:")
        }
        guard usages == ["digital signature", "key encipherment", "client auth"] || usages == ["digital signature", "client auth"] else {
            throw PKIError("usages did not match [client auth digital signature key encipherment]")
        }
    }

    private static func validateKubeletServing(_ request: CertificateRequest, usages: Set<String>) throws(PKIError) {
        guard request.identity.organizations == ["system:nodes"] else { throw PKIError("subject organization is not system:nodes") }
        guard !request.dnsNames.isEmpty || request.ipAddressCount > 0 else { throw PKIError("DNS or IP subjectAltName is required") }
        guard request.emailAddressCount == 0 else { throw PKIError("Email subjectAltNames are not allowed") }
        guard request.uriCount == 0 else { throw PKIError("URI subjectAltNames are not allowed") }
        guard usages == ["digital signature", "key encipherment", "server auth"] || usages == ["digital signature", "server auth"] else {
            throw PKIError("usages did not match [digital signature key encipherment server auth]")
        }
        guard request.identity.commonName.hasPrefix("system:node:") else {
            throw PKIError("subject common name does not begin with system:node:")
        }
    }
}
