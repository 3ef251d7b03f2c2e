/// Where and how the etcd backend connects: the members' client endpoints, TLS, the key prefix.
public struct EtcdConfiguration: Sendable, Hashable {
    /// One member's client address.
    public struct Endpoint: Sendable, Hashable {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }
    }

    /// Files for a TLS connection to etcd (upstream's `--etcd-cafile`, `--etcd-certfile`, `--etcd-keyfile`).
    public struct TLSFiles: Sendable, Hashable {
        /// PEM bundle of the CAs that sign the members' serving certificates (nil: the system roots).
        public var caFile: String?
        /// PEM client certificate and key for etcd's `--client-cert-auth` (both or neither).
        public var certFile: String?
        public var keyFile: String?

        public init(caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
            self.caFile = caFile
            self.certFile = certFile
            self.keyFile = keyFile
        }
    }

    /// The members to connect to; the client uses the first that answers and fails over to the others.
    public var endpoints: [Endpoint]
    /// TLS for the connection; nil for plaintext.
    public var tls: TLSFiles?
    /// Where the store's `/registry` keys live in etcd (upstream's `--etcd-prefix`): the store key
    /// `/registry/pods/ns/name` is the etcd key `<prefix>/pods/ns/name`. Keys outside `/registry`
    /// (`compact_rev_key`) keep their names, as upstream's do.
    public var prefix: String = EtcdConfiguration.registryRoot {
        didSet { while prefix.count > 1, prefix.hasSuffix("/") { prefix.removeLast() } }
    }
    /// The root of the store's keys (`StorageKeyPath`), which `prefix` stands in for in etcd.
    public static let registryRoot = "/registry"
    /// How long one request may take before the store answers `unavailable`.
    public var requestTimeout: Duration = .seconds(10)

    public init(endpoints: [Endpoint], tls: TLSFiles? = nil) {
        self.endpoints = endpoints
        self.tls = tls
    }

    /// Parses `etcd://host:port[,host:port…]` (the `--storage` flag's form).
    public init(url: String, tls: TLSFiles? = nil) throws {
        guard url.hasPrefix(Self.scheme) else {
            throw EtcdConfigurationError("an etcd storage URL starts with \(Self.scheme): \"\(url)\"")
        }
        let list = url.dropFirst(Self.scheme.count).split(separator: ",", omittingEmptySubsequences: true)
        guard !list.isEmpty else { throw EtcdConfigurationError("\(Self.scheme) needs at least one host:port, e.g. etcd://127.0.0.1:2379") }
        let endpoints = try list.map { item -> Endpoint in
            let text = item.hasSuffix("/") ? item.dropLast() : item
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port),
                  colon > text.startIndex
            else { throw EtcdConfigurationError("etcd endpoint \"\(item)\" is not host:port") }
            return Endpoint(host: String(text[..<colon]), port: port)
        }
        self.init(endpoints: endpoints, tls: tls)
    }

    /// The URL scheme of the etcd backend.
    public static let scheme = "etcd://"
}

/// An etcd storage URL or TLS option that cannot be used.
public struct EtcdConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
