import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SkiffAPIServer
import SkiffControllers
import SkiffDNS
import SkiffIngress
import SkiffKubelet
import SkiffMetricsServer
import SkiffPKI
import SkiffProxy

/// `skiff up`: a whole local cluster in one process (the seed's `hack/local-up-cluster.sh`): the
/// API server, and once it is ready the controller manager, the scheduler, cluster DNS, the
/// kubelets of simulated nodes (and, with the process runtime, the service proxy, the network
/// policy agent and the ingress controller), all in one `ServiceGroup`. SIGTERM or SIGINT shuts
/// them down gracefully in reverse order: ingress, policy agent, proxy, kubelets, DNS,
/// scheduler, controllers, then the server.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Start a local Kubernetes cluster.")

    @OptionGroup var options: ServerOptions

    @Option(help: "Nodes to run (skiff-node-0, skiff-node-1, …); with the process runtime the first runs real containers.")
    var nodes = 1

    @Option(help: "The container runtime of the first node: process or simulated (default: process where the host supports it).")
    var runtime: KubeletCommand.Runtime?

    @Option(help: ArgumentHelp(stringLiteral: ContainerRuntimeEndpoint.help))
    var containerRuntimeEndpoint: String?

    @OptionGroup var controllers: ControllerOptions

    @OptionGroup var eviction: EvictionOptions

    @OptionGroup var dns: DNSOptions

    @Option(help: "The port cluster DNS listens on (UDP and TCP, all addresses); if it is taken, any free port (0: any free port; `=-1`: no cluster DNS).")
    var clusterDNSPort = 53

    @Option(help: "With the process runtime, the built-in ingress controller's HTTP port; if it is taken, any free port (0: any free port; `=-1`: no ingress controller).")
    var ingressHTTPPort = 80

    @Option(help: "With the process runtime, how the service proxy programs rules: nftables or iptables (default: nftables, iptables when nft is missing).")
    var proxyMode: ProxyBackend.Mode?

    @Option(help: "With the process runtime, the ingress controller's HTTPS port (HTTP/2 by ALPN); if it is taken, any free port (0: any free port; `=-1`: no HTTPS).")
    var ingressHTTPSPort = 443

    @Option(help: "How often the metrics server scrapes the kubelets (=0: no metrics server, no metrics.k8s.io).")
    var metricResolution = DurationFlag(.seconds(15))

    func run() async throws {
        try options.prepareDataDir()
        let logger = options.makeLogger(label: "skiff")
        let options = self.options
        let nodeNames = KubeletConfiguration.simulatedNodeNames(nodes)
        let credentials = try options.prepareCredentials(nodeNames: nodeNames)
        // The components talk to the server like any client, each through the kubeconfig of its
        // own identity, written when the server is ready.
        func client(_ component: String) -> [String] {
            ["--kubeconfig", options.componentKubeconfigPath(component), "--log-level", options.logLevel.rawValue]
        }
        // Add-ons (cluster DNS, the ingress controller) act with the admin credentials.
        let admin = ["--kubeconfig", options.kubeconfigPath, "--log-level", options.logLevel.rawValue]
        let noLeaderElection = try LeaderElectionOptions.parse([])
        var controllers = self.controllers
        if credentials != nil {
            // Over HTTPS each controller acts as its service account, and the CSR signer signs with the cluster CA.
            controllers.useServiceAccountCredentials = true
            let pki = PKIDirectory(path: options.pkiDir)
            controllers.clusterSigningCertFile = controllers.clusterSigningCertFile ?? pki.certificatePath(ClusterPKI.caName)
            controllers.clusterSigningKeyFile = controllers.clusterSigningKeyFile ?? pki.keyPath(ClusterPKI.caName)
        }
        // k3s' local-path provisioner keeps its volumes in the data directory.
        controllers.localPathDir = controllers.localPathDir ?? options.dataDir + "/storage"
        let signingKey = try options.serviceAccounts.signingKey(pkiDir: options.pkiDir)
        let tokenSecrets = ServiceAccountTokenController.Configuration(
            signer: try await ServiceAccountTokenSigner(signingKey: signingKey.privateKey), rootCAPEM: credentials?.authorityPEM ?? "")
        var components: [(name: String, service: StartsWhenReady)] = [
            (
                "controller-manager",
                StartsWhenReady(
                    try ControllerManagerCommand.process(
                        options: try .parse(client("controller-manager")), leaderElection: noLeaderElection, controllers: controllers,
                        serviceAccountTokens: tokenSecrets, logger: logger))
            ),
            ("scheduler", StartsWhenReady(SchedulerCommand.process(options: try .parse(client("scheduler")), leaderElection: noLeaderElection, logger: logger))),
        ]
        if clusterDNSPort >= 0 {
            // The server's endpoint is the first node's bridge address (its pod subnet's gateway),
            // where pods reach the host. The admin credentials create the kube-dns Service, as
            // kubeadm's DNS add-on phase does.
            var configuration = dns.configuration(host: "0.0.0.0", port: clusterDNSPort)
            configuration.anyPortIfTaken = true
            let firstSubnet = PodCIDRAllocator.defaultClusterCIDR.subnet(0, prefixLength: PodCIDRAllocator.defaultNodeMaskSize)
            var service = KubeDNSService.Configuration(address: firstSubnet?.address(at: 1) ?? "127.0.0.1")
            service.clusterIP = dns.serviceIP
            configuration.service = service
            components.append(("dns", StartsWhenReady(DNSCommand.process(options: try .parse(admin), configuration: configuration, logger: logger))))
        }
        var runtimeName = "none (no nodes)"
        if nodes > 0 {
            var kubelets = KubeletConfiguration(nodeNames: nodeNames)
            if clusterDNSPort >= 0 { kubelets.dns.clusterDNS = [dns.serviceIP] }
            kubelets.dns.clusterDomain = dns.clusterDomain
            let (detected, reason) = KubeletCommand.Runtime.detected()
            if runtime == nil, containerRuntimeEndpoint == nil, let reason { Console.say("Using the simulated container runtime: \(reason).") }
            // A CRI daemon runs real containers as the process runtime does: the node gets the same add-ons.
            let realContainers = containerRuntimeEndpoint != nil || (runtime ?? detected) == .process
            let proxyBackend = realContainers ? ProxyBackend.find(proxyMode) : nil
            kubelets.staticPods = staticPods(dns: clusterDNSPort >= 0, proxy: proxyBackend != nil, metrics: credentials != nil && metricResolution.duration > .zero)
            if let containerRuntimeEndpoint {
                let cri = try await ContainerRuntimeEndpoint.factory(
                    endpoint: containerRuntimeEndpoint, firstNode: kubelets.nodeNames.first ?? "", rootDirectory: options.dataDir + "/kubelet")
                kubelets.makeRuntime = cri.make
                if let first = kubelets.nodeNames.first {
                    kubelets.nodeOverrides[first] = kubelets.node.measuringHost(
                        dataDirectory: options.dataDir + "/kubelet", eviction: try eviction.configuration())
                }
                runtimeName = "\(cri.version) at \(containerRuntimeEndpoint)"
            } else {
                (runtime ?? detected).apply(to: &kubelets, rootDirectory: options.dataDir + "/kubelet", eviction: try eviction.configuration())
                runtimeName = (runtime ?? detected) == .process ? "runc (process)" : "simulated"
            }
            kubelets.serverPort = 0
            components.append(("kubelets", StartsWhenReady(KubeletCommand.process(options: try .parse(client("kubelet")), configuration: kubelets, logger: logger))))
            // The real node's service proxy: ClusterIPs and NodePorts answer (docs/proxy.md).
            if realContainers, let first = kubelets.nodeNames.first {
                if let backend = proxyBackend {
                    let configuration = try ProxyOptions.parse([]).configuration(nodeName: first)
                    let proxy = ProxyCommand.process(options: try .parse(client("kube-proxy")), configuration: configuration, backend: backend, logger: logger)
                    components.append(("kube-proxy", StartsWhenReady(proxy)))
                    if case .nftables(let nft) = backend {
                        let agent = ProxyCommand.networkPolicyProcess(options: try .parse(client("kube-proxy")), configuration: configuration, nft: nft, logger: logger)
                        components.append(("network-policy", StartsWhenReady(agent)))
                    } else {
                        Console.say("The service proxy programs iptables; NetworkPolicies are not enforced (they need nft, Debian package nftables).")
                    }
                } else {
                    Console.say("Not running the service proxy: it needs nft (Debian package nftables) or iptables-restore (Debian package iptables).")
                }
                if ingressHTTPPort >= 0 {
                    // As an add-on, with the admin credentials: it creates its IngressClass (docs/ingress.md).
                    var configuration = IngressConfiguration(nodeName: first)
                    configuration.httpPort = ingressHTTPPort
                    configuration.httpsPort = ingressHTTPSPort >= 0 ? ingressHTTPSPort : nil
                    configuration.anyPortIfTaken = true
                    components.append(("ingress", StartsWhenReady(IngressCommand.process(options: try .parse(admin), configuration: configuration, logger: logger))))
                }
            }
        }
        if credentials != nil, metricResolution.duration > .zero {
            components.append(("metrics-server", StartsWhenReady(try metricsServer(logger: logger))))
        }
        let dependents = components.map(\.service)
        let runtimeDescription = runtimeName
        let server = APIServerService(configuration: try await options.serviceConfiguration(credentials: credentials, bootstrapTokenAuthByDefault: true), logger: logger) { port in
            do {
                try options.writeKubeconfigs(port: port, credentials: credentials, nodeNames: nodeNames)
            } catch {
                logger.critical("cannot write the kubeconfig", metadata: ["error": "\(error)"])
            }
            Console.say("""
                Local Kubernetes cluster is running. Press Ctrl-C to shut it down.
                API server: \(options.scheme)://\(options.bindAddress):\(port)   storage: \(options.storageURL)   container runtime: \(runtimeDescription)
                To use it:
                  export KUBECONFIG=\(options.kubeconfigPath)
                  kubectl get namespaces
                """)
            dependents.forEach { $0.markReady() }
        }
        let services = [ServiceGroupConfiguration.ServiceConfiguration(service: server, serviceName: "apiserver")]
            + components.map { .init(service: $0.service, serviceName: $0.name) }
        try await ServiceGroup.process(services, logger: logger).run()
    }

    /// The in-process components the first node's kubelet publishes as mirror pods in
    /// `kube-system` (docs/kubelet.md, Mirror pods): kubeadm's control-plane pods, and the add-ons
    /// under the names and labels a kind or k3s user looks for.
    private func staticPods(dns: Bool, proxy: Bool, metrics: Bool) -> [StaticPod] {
        let command = ["skiff", "up"]
        var pods = ["kube-apiserver", "kube-controller-manager", "kube-scheduler"].map { StaticPod.controlPlane($0, command: command) }
        if dns { pods.append(.addOn("kube-dns", app: "kube-dns", priorityClassName: "system-cluster-critical", command: command)) }
        if proxy { pods.append(.addOn("kube-proxy", app: "kube-proxy", priorityClassName: "system-node-critical", command: command)) }
        if metrics { pods.append(.addOn("metrics-server", app: "metrics-server", priorityClassName: "system-cluster-critical", command: command)) }
        return pods
    }

    /// metrics-server as k3s bundles it: on a free loopback port, trusting the front-proxy CA,
    /// registered (Service, Endpoints, APIService `v1beta1.metrics.k8s.io`) once it serves.
    private func metricsServer(logger: Logger) throws -> ComponentClient {
        let frontProxyCA = options.aggregation.requestHeaderClientCAFile
            ?? PKIDirectory(path: options.pkiDir + "/" + FrontProxyCertificates.directoryName).certificatePath(ClusterPKI.caName)
        let serving = try ExtensionServingOptions.parse(["--secure-port", "0", "--cert-dir", options.dataDir + "/metrics-server",
                                                         "--requestheader-client-ca-file", frontProxyCA])
        let admin = ["--kubeconfig", options.kubeconfigPath, "--log-level", options.logLevel.rawValue]
        return try MetricsServerCommand.process(options: try .parse(admin), serving: serving, resolution: metricResolution.duration, logger: logger) { client, port in
            do {
                try await MetricsAPIService(client: client, address: "127.0.0.1", port: Int32(port)).ensure()
            } catch {
                logger.error("cannot register the metrics server", metadata: ["error": "\(error)"])
            }
        }
    }
}
