import ArgumentParser
import Foundation
import Logging
import SkiffAPIServer
import SkiffClient
import SkiffPKI
import SkiffRegistry

/// The flags of the commands that run an API server (`skiff up`, `skiff apiserver`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Where the cluster keeps its state (storage, admin.kubeconfig).")
    var dataDir: String = ServerOptions.defaultDataDir

    @Option(help: "The port the API server listens on.")
    var port: Int = 6443

    @Option(help: "The address the API server listens on.")
    var bindAddress: String = "127.0.0.1"

    @Option(help: "The storage: sqlite://PATH (default: DATA-DIR/skiff.db), memory:// or etcd://HOST:PORT[,HOST:PORT...].")
    var storage: String?

    @OptionGroup var etcd: EtcdOptions

    @Option(help: "How objects are written to storage: application/vnd.kubernetes.protobuf (the kinds that have a protobuf form; default on etcd, as kube-apiserver) or application/json (default otherwise). Values of either form are read.")
    var storageMediaType: StorageMediaType?

    @Option(help: "The IP the kubernetes service's endpoints list for this API server (default: --bind-address, or 127.0.0.1 when that is 0.0.0.0).")
    var advertiseAddress: String?

    @Option(help: "How the kubernetes service's endpoints are kept: lease (every live API server, each renewing a record under /registry/masterleases/) or none.")
    var endpointReconcilerType: EndpointReconcilerType = .lease

    @Option(help: "Seconds between storage compactions; history older than one interval is dropped (reads of it get 410 Expired).")
    var compactionInterval: Int = 300

    @Option(name: .customLong("max-requests-inflight"), help: "Read-only requests served at once; more get 429 (0: no limit). With priority and fairness, this plus --max-mutating-requests-inflight is shared out among the priority levels.")
    var maxRequestsInFlight: Int = 400

    @Option(name: .customLong("max-mutating-requests-inflight"), help: "Mutating requests served at once; more get 429 (0: no limit).")
    var maxMutatingRequestsInFlight: Int = 200

    @Option(name: .customLong("enable-priority-and-fairness"),
            help: "API priority and fairness: the two in-flight limits added up are shared out among the priority levels, with queues; false applies the two limits as they are.")
    var enablePriorityAndFairness: Bool = true

    @Option(name: .customLong("enable-admission-plugins"),
            help: "Admission plugins to run besides the default ones, comma-separated (default on: \(AdmissionPluginSet.ordered.joined(separator: ", "))).")
    var enableAdmissionPlugins: String = ""

    @Option(name: .customLong("disable-admission-plugins"), help: "Admission plugins not to run, comma-separated, even if on by default.")
    var disableAdmissionPlugins: String = ""

    @OptionGroup var access: AccessOptions

    @OptionGroup var serviceAccounts: ServiceAccountOptions

    @OptionGroup var aggregation: AggregationOptions

    @OptionGroup var audit: AuditOptions

    @OptionGroup var encryption: EncryptionOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    @Option(name: [.customShort("v"), .customLong("v")], help: "Request log verbosity as kube-apiserver's -v: 3 a line per request, 7 headers, 8 bodies (0: none).")
    var verbosity: Int = 0
    @OptionGroup var transport: TransportOptions

    static var defaultDataDir: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.skiff"
    }

    func validate() throws {
        do {
            _ = try admissionPlugins()
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The admission plugins the flags select.
    func admissionPlugins() throws(AdmissionPluginSelectionError) -> Set<String> {
        func names(_ list: String) -> [String] { list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return try AdmissionPluginSet.selection(enable: names(enableAdmissionPlugins), disable: names(disableAdmissionPlugins))
    }

    var storageURL: String { storage ?? "sqlite://\(dataDir)/skiff.db" }

    var kubeconfigPath: String { dataDir + "/admin.kubeconfig" }

    var pkiDir: String { transport.pkiDir ?? dataDir + "/pki" }

    /// The kubeconfig of a component's client pair (`controller-manager`, `scheduler`, `kubelet`, `kube-proxy`);
    /// the admin's when serving insecurely.
    func componentKubeconfigPath(_ component: String) -> String {
        transport.insecureServing ? kubeconfigPath : "\(dataDir)/\(component).kubeconfig"
    }

    /// The certificates to serve with, made or read now; nil with `--insecure-serving`, which is
    /// said on the console.
    func prepareCredentials(nodeNames: [String]) throws -> ClusterCredentials? {
        guard !transport.insecureServing else {
            Console.say("WARNING: --insecure-serving: plain HTTP with no authentication, every client is a superuser.")
            return nil
        }
        return try ClusterCredentials.prepare(options: self, nodeNames: nodeNames)
    }

    /// `http` or `https`, as the server is reached.
    var scheme: String { transport.insecureServing ? "http" : "https" }

    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }

    func prepareDataDir() throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
    }

    /// The API server's configuration; bootstrap tokens authenticate when the flag says so, else
    /// when `bootstrapTokenAuthByDefault` (`skiff up`).
    func serviceConfiguration(credentials: ClusterCredentials?, bootstrapTokenAuthByDefault: Bool = false) async throws -> APIServerService.Configuration {
        var configuration = APIServerService.Configuration(storageURL: storageURL, http: .init(host: bindAddress, port: port))
        configuration.http.tls = credentials?.serving
        configuration.openStorage = { [opener = etcd.opener] url, logger in try opener.open(url, logger: logger) }
        configuration.compactionInterval = .seconds(max(1, compactionInterval))
        configuration.storageMediaType = storageMediaType ?? (storageURL.hasPrefix("etcd://") ? .protobuf : .json)
        try encryption.apply(to: &configuration)
        try audit.apply(to: &configuration.server, logger: makeLogger(label: "audit"))
        if endpointReconcilerType == .lease {
            configuration.advertiseAddress = advertiseAddress ?? (["0.0.0.0", "::"].contains(bindAddress) ? "127.0.0.1" : bindAddress)
        }
        configuration.server.maxRequestsInFlight = max(0, maxRequestsInFlight)
        configuration.server.maxMutatingRequestsInFlight = max(0, maxMutatingRequestsInFlight)
        configuration.server.enablePriorityAndFairness = enablePriorityAndFairness
        configuration.server.enabledAdmissionPlugins = (try? admissionPlugins()) ?? AdmissionPluginSet.enabledByDefault
        configuration.server.requestLog = .standardError(verbosity: verbosity, source: "httplog")
        let adminToken = try access.adminToken(dataDir: dataDir, secure: credentials != nil)
        let x509 = try credentials.map { try X509Authenticator(clientCAPEM: $0.clientCAPEM) }
        try access.apply(to: &configuration.server, secure: credentials != nil, x509: x509, adminToken: adminToken)
        configuration.server.serviceAccountIssuer = try await serviceAccounts.issuer(pkiDir: pkiDir)
        configuration.server.enableBootstrapTokenAuth = serviceAccounts.enableBootstrapTokenAuth ?? bootstrapTokenAuthByDefault
        if let credentials {
            configuration.server.proxyClientIdentity = credentials.proxyClient
            configuration.server.extensionAuthentication = ExtensionAuthentication(
                clientCAPEM: credentials.clientCAPEM, requestHeaderCAPEM: credentials.frontProxyCAPEM, allowedNames: aggregation.allowedNames)
        }
        return configuration
    }

    /// Writes the admin kubeconfig for the bound port and, over HTTPS, one per component with
    /// its own client certificate (`kubelet` as the first of `nodeNames`); owner-only, since
    /// they embed keys. Serving insecurely with a token file, the admin kubeconfig carries the
    /// admin token instead.
    func writeKubeconfigs(port: Int, credentials: ClusterCredentials?, nodeNames: [String] = []) throws {
        let host = bindAddress == "0.0.0.0" ? "127.0.0.1" : bindAddress
        let server = "\(scheme)://\(host):\(port)"
        guard let credentials else {
            var kubeconfig = Kubeconfig(context: "skiff", server: server, user: "admin", namespace: "default")
            guard let token = try access.adminToken(dataDir: dataDir, secure: false) else {
                return try kubeconfig.yaml().write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
            }
            kubeconfig.users["admin"]?.token = token
            return try PKIDirectory.writeOwnerOnly(try kubeconfig.yaml(), to: kubeconfigPath)
        }
        var files = [kubeconfigPath: ClusterCertificates.admin]
        files[componentKubeconfigPath("controller-manager")] = ClusterCertificates.controllerManager
        files[componentKubeconfigPath("scheduler")] = ClusterCertificates.scheduler
        files[componentKubeconfigPath("kube-proxy")] = ClusterCertificates.kubeProxy
        // One kubelet process plays every node of skiff up: alone it is that node, with several
        // it is the simulated kubelets' identity (the Node authorizer admits a node only to its own).
        if nodeNames.count > 1 {
            files[componentKubeconfigPath("kubelet")] = ClusterCertificates.simulatedKubelets
        } else if let node = nodeNames.first {
            files[componentKubeconfigPath("kubelet")] = ClusterCertificates.node(node)
        }
        for (path, client) in files {
            try PKIDirectory.writeOwnerOnly(try credentials.kubeconfig(server: server, client: client).yaml(), to: path)
        }
    }
}

/// Upstream's `--endpoint-reconciler-type` values that Skiff has (not the deprecated `master-count`).
extension StorageMediaType: ExpressibleByArgument {}

enum EndpointReconcilerType: String, ExpressibleByArgument, CaseIterable {
    case lease
    case none
}
