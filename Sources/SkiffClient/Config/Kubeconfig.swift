import Foundation
import Yams

/// A kubeconfig file (`apiVersion: v1`, `kind: Config`): named clusters, users and contexts and
/// the current context. Only the fields the client uses are read; the rest is ignored.
public struct Kubeconfig: Sendable, Equatable {
    /// Cluster entries by name.
    public var clusters: [String: Cluster] = [:]
    /// User (auth info) entries by name.
    public var users: [String: User] = [:]
    /// Context entries by name.
    public var contexts: [String: Context] = [:]
    /// The context used unless another is asked for (`current-context`).
    public var currentContext: String?

    /// Where and how to reach an API server.
    public struct Cluster: Sendable, Equatable {
        /// `https://host:port` (or `http://` for a local, unsecured server).
        public var server: String?
        /// A PEM file of the CA bundle that signs the server's certificate.
        public var certificateAuthority: String?
        /// The PEM CA bundle inline.
        public var certificateAuthorityData: [UInt8]?
        /// Accept any server certificate.
        public var insecureSkipTLSVerify: Bool = false

        public init() {}
    }

    /// How to authenticate.
    public struct User: Sendable, Equatable {
        /// A PEM file of the client certificate.
        public var clientCertificate: String?
        /// The PEM client certificate inline.
        public var clientCertificateData: [UInt8]?
        /// A PEM file of the client key.
        public var clientKey: String?
        /// The PEM client key inline.
        public var clientKeyData: [UInt8]?
        /// A bearer token.
        public var token: String?
        /// A file holding a bearer token, read again when it changes (service account tokens rotate).
        public var tokenFile: String?
        /// Basic authentication.
        public var username: String?
        public var password: String?

        public init() {}
    }

    /// A cluster, a user and a default namespace under one name.
    public struct Context: Sendable, Equatable {
        public var cluster: String
        public var user: String
        public var namespace: String?

        public init(cluster: String, user: String, namespace: String? = nil) {
            self.cluster = cluster
            self.user = user
            self.namespace = namespace
        }
    }

    public init() {}
}

extension Kubeconfig {
    /// Parses a kubeconfig document. Relative file paths in it are resolved against `directory`
    /// (the directory of the file it came from), as kubectl does.
    public init(yaml: String, directory: String? = nil) throws(ConfigurationError) {
        let file: KubeconfigFile
        do {
            file = try YAMLDecoder().decode(KubeconfigFile.self, from: yaml)
        } catch {
            throw ConfigurationError("cannot parse kubeconfig: \(error)")
        }
        self.init()
        currentContext = file.currentContext.flatMap { $0.isEmpty ? nil : $0 }
        for entry in file.clusters ?? [] {
            var cluster = Cluster()
            let fields = entry.cluster
            cluster.server = fields?.server
            cluster.certificateAuthority = Self.resolve(fields?.certificateAuthority, in: directory)
            cluster.certificateAuthorityData = try Self.decodeBase64(fields?.certificateAuthorityData, field: "certificate-authority-data")
            cluster.insecureSkipTLSVerify = fields?.insecureSkipTLSVerify ?? false
            clusters[entry.name] = cluster
        }
        for entry in file.users ?? [] {
            var user = User()
            let fields = entry.user
            user.clientCertificate = Self.resolve(fields?.clientCertificate, in: directory)
            user.clientCertificateData = try Self.decodeBase64(fields?.clientCertificateData, field: "client-certificate-data")
            user.clientKey = Self.resolve(fields?.clientKey, in: directory)
            user.clientKeyData = try Self.decodeBase64(fields?.clientKeyData, field: "client-key-data")
            user.token = fields?.token
            user.tokenFile = Self.resolve(fields?.tokenFile, in: directory)
            user.username = fields?.username
            user.password = fields?.password
            users[entry.name] = user
        }
        for entry in file.contexts ?? [] {
            let fields = entry.context
            contexts[entry.name] = Context(cluster: fields?.cluster ?? "", user: fields?.user ?? "", namespace: fields?.namespace)
        }
    }

    /// Reads and parses a kubeconfig file; its relative paths are resolved against its directory.
    public init(contentsOfFile path: String) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError("cannot read kubeconfig \(path): \(error.localizedDescription)")
        }
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try self.init(yaml: text, directory: directory)
        } catch {
            throw ConfigurationError("\(path): \(error.message)")
        }
    }

    /// Merges `other` into this configuration with kubectl's rules: an entry name already present
    /// keeps its value, and the current context is the first one set.
    public mutating func merge(_ other: Kubeconfig) {
        clusters.merge(other.clusters) { first, _ in first }
        users.merge(other.users) { first, _ in first }
        contexts.merge(other.contexts) { first, _ in first }
        if currentContext == nil { currentContext = other.currentContext }
    }

    private static func resolve(_ path: String?, in directory: String?) -> String? {
        guard let path, !path.isEmpty else { return nil }
        guard let directory, !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
    }

    private static func decodeBase64(_ text: String?, field: String) throws(ConfigurationError) -> [UInt8]? {
        guard let text, !text.isEmpty else { return nil }
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) else {
            throw ConfigurationError("\(field) is not valid base64")
        }
        return Array(data)
    }
}
