import Foundation

extension ClientConfiguration {
    /// Where to read kubeconfig files from, with kubectl's precedence.
    public struct LoadingRules: Sendable {
        /// An explicit file (`--kubeconfig`): used alone, and it must exist.
        public var explicitPath: String?
        /// The value of `KUBECONFIG`: files separated by `:`, merged, missing ones skipped.
        public var kubeconfigVariable: String?
        /// The home directory, for `~/.kube/config` when neither of the above is given.
        public var homeDirectory: String?

        public init(explicitPath: String? = nil, kubeconfigVariable: String? = nil, homeDirectory: String? = nil) {
            self.explicitPath = explicitPath
            self.kubeconfigVariable = kubeconfigVariable
            self.homeDirectory = homeDirectory
        }

        /// The rules of this process: `KUBECONFIG` and `HOME` from the environment.
        public static func environment(explicitPath: String? = nil) -> LoadingRules {
            let environment = ProcessInfo.processInfo.environment
            return LoadingRules(
                explicitPath: explicitPath, kubeconfigVariable: environment["KUBECONFIG"],
                homeDirectory: environment["HOME"] ?? NSHomeDirectory())
        }

        /// The files to read, in precedence order.
        public var paths: [String] {
            if let explicitPath, !explicitPath.isEmpty { return [explicitPath] }
            if let kubeconfigVariable, !kubeconfigVariable.isEmpty {
                var seen = Set<String>()
                return kubeconfigVariable.split(separator: ":").map(String.init).filter { seen.insert($0).inserted }
            }
            guard let homeDirectory else { return [] }
            return [homeDirectory + "/.kube/config"]
        }

        /// Reads and merges the files (first one wins for every entry and the current context).
        public func load() throws(ConfigurationError) -> Kubeconfig {
            var merged = Kubeconfig()
            var found = false
            for path in paths {
                let mustExist = explicitPath != nil && !(explicitPath ?? "").isEmpty
                guard mustExist || FileManager.default.fileExists(atPath: path) else { continue }
                merged.merge(try Kubeconfig(contentsOfFile: path))
                found = true
            }
            guard found else {
                throw ConfigurationError("no kubeconfig found (looked in \(paths.joined(separator: ", ")))")
            }
            return merged
        }
    }

    /// The configuration kubectl would use: kubeconfig files by `rules`, the context `context`
    /// (default: the current context).
    public static func load(rules: LoadingRules = .environment(), context: String? = nil) throws(ConfigurationError) -> ClientConfiguration {
        try ClientConfiguration(kubeconfig: rules.load(), context: context)
    }

    /// The configuration of one context of a kubeconfig; credential files are read now.
    public init(kubeconfig: Kubeconfig, context contextName: String? = nil) throws(ConfigurationError) {
        guard let name = contextName ?? kubeconfig.currentContext else {
            throw ConfigurationError("no context chosen and the kubeconfig has no current-context")
        }
        guard let context = kubeconfig.contexts[name] else {
            throw ConfigurationError("context \"\(name)\" does not exist")
        }
        guard let cluster = kubeconfig.clusters[context.cluster] else {
            throw ConfigurationError("cluster \"\(context.cluster)\" of context \"\(name)\" does not exist")
        }
        guard let server = cluster.server, !server.isEmpty else {
            throw ConfigurationError("cluster \"\(context.cluster)\" has no server")
        }
        self.init(server: server)
        if let namespace = context.namespace, !namespace.isEmpty { self.namespace = namespace }
        insecureSkipTLSVerify = cluster.insecureSkipTLSVerify
        certificateAuthorityPEM = try Self.pem(cluster.certificateAuthorityData, file: cluster.certificateAuthority)
        if let user = kubeconfig.users[context.user] {
            clientCertificatePEM = try Self.pem(user.clientCertificateData, file: user.clientCertificate)
            clientKeyPEM = try Self.pem(user.clientKeyData, file: user.clientKey)
            bearerToken = user.token
            bearerTokenFile = user.tokenFile
            username = user.username
            password = user.password
        } else if !context.user.isEmpty {
            throw ConfigurationError("user \"\(context.user)\" of context \"\(name)\" does not exist")
        }
    }

    /// The configuration from kubeconfig files when there are any, otherwise from the pod's
    /// service account (client-go's `BuildConfigFromFlags` with no master URL).
    public static func automatic(kubeconfigPath: String? = nil, context: String? = nil) throws(ConfigurationError) -> ClientConfiguration {
        let rules = LoadingRules.environment(explicitPath: kubeconfigPath)
        if kubeconfigPath == nil, !rules.paths.contains(where: { FileManager.default.fileExists(atPath: $0) }),
            let inCluster = try? ClientConfiguration.inCluster()
        {
            return inCluster
        }
        return try load(rules: rules, context: context)
    }

    /// Inline data when given, otherwise the file's contents (inline data wins, as in kubectl).
    private static func pem(_ data: [UInt8]?, file: String?) throws(ConfigurationError) -> [UInt8]? {
        if let data { return data }
        guard let file else { return nil }
        return try readFile(file)
    }

    static func readFile(_ path: String) throws(ConfigurationError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("cannot read \(path)")
        }
        return Array(data)
    }
}
