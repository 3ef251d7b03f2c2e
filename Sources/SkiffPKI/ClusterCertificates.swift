/// The certificates every cluster gets (kubeadm's set): the API server's serving certificate,
/// and client certificates for the admin, the controller manager, the scheduler, the service
/// proxy and each node.
public struct ClusterCertificates: Sendable {
    /// The file stem of the API server's serving certificate.
    public static let apiServer = "apiserver"
    /// The file stem of the admin's client certificate.
    public static let admin = "admin"
    public static let controllerManager = "controller-manager"
    public static let scheduler = "scheduler"
    /// The file stem of the service proxy's client certificate (`system:kube-proxy`, bound to `system:node-proxier`).
    public static let kubeProxy = "kube-proxy"

    /// The ClusterIP of the `kubernetes` service (the first address of kubeadm's 10.96.0.0/12).
    public static let kubernetesServiceIP = "10.96.0.1"
    /// The DNS names of the `kubernetes` service.
    public static let kubernetesServiceNames = [
        "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local",
    ]

    /// The machine's host name.
    public var hostName: String
    /// Extra names of the serving certificate (`--tls-san`): IP addresses or DNS names.
    public var extraNames: [String]
    /// The nodes that get a client certificate (`system:node:NAME`, group `system:nodes`).
    public var nodeNames: [String]

    public init(hostName: String, extraNames: [String] = [], nodeNames: [String] = []) {
        self.hostName = hostName
        self.extraNames = extraNames
        self.nodeNames = nodeNames
    }

    /// The file stem of the certificate of a kubelet process that plays several simulated nodes
    /// (`system:skiff:simulated-kubelets`, bound to `system:node`).
    public static let simulatedKubelets = "simulated-kubelets"

    /// The file stem of a node's client certificate.
    public static func node(_ name: String) -> String { "kubelet-\(name)" }

    /// The serving certificate: localhost, the loopback addresses, the host name, the service's
    /// IP and names, and the extra names.
    public var servingProfile: CertificateProfile {
        var dnsNames = ["localhost", hostName] + Self.kubernetesServiceNames
        var ipAddresses = ["127.0.0.1", "::1", Self.kubernetesServiceIP]
        for name in extraNames {
            if IPAddressBytes.parse(name) != nil { ipAddresses.append(name) } else { dnsNames.append(name) }
        }
        return CertificateProfile(
            name: Self.apiServer, commonName: "kube-apiserver", usage: .server,
            dnsNames: unique(dnsNames.filter { !$0.isEmpty }), ipAddresses: unique(ipAddresses))
    }

    /// The client certificates: the admin (`kubernetes-admin`, group `system:masters`), the
    /// components under upstream's user names, and each node.
    public var clientProfiles: [CertificateProfile] {
        [
            CertificateProfile(name: Self.admin, commonName: "kubernetes-admin", organizations: ["system:masters"], usage: .client),
            CertificateProfile(name: Self.controllerManager, commonName: "system:kube-controller-manager", usage: .client),
            CertificateProfile(name: Self.scheduler, commonName: "system:kube-scheduler", usage: .client),
            CertificateProfile(name: Self.kubeProxy, commonName: "system:kube-proxy", usage: .client),
        ] + nodeNames.map { node in
            CertificateProfile(name: Self.node(node), commonName: "system:node:\(node)", organizations: ["system:nodes"], usage: .client)
        } + (nodeNames.count > 1 ? [
            CertificateProfile(name: Self.simulatedKubelets, commonName: "system:skiff:simulated-kubelets", usage: .client),
        ] : [])
    }

    /// Every profile, the serving one first.
    public var profiles: [CertificateProfile] { [servingProfile] + clientProfiles }

    private func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
