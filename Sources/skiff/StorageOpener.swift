import ArgumentParser
import Logging
import SkiffEtcd
import SkiffStorage

/// Opens a storage URL: `etcd://` with the etcd backend, the others with `StorageURL`.
struct StorageOpener: Sendable {
    /// TLS files for etcd, nil for plaintext.
    var etcdTLS: EtcdConfiguration.TLSFiles?
    /// Where the cluster's keys live in etcd (`--etcd-prefix`).
    var etcdPrefix = EtcdConfiguration.registryRoot

    func open(_ url: String, logger: Logger) throws -> any Storage {
        guard url.hasPrefix(EtcdConfiguration.scheme) else { return try StorageURL.open(url, logger: logger) }
        var configuration = try EtcdConfiguration(url: url, tls: etcdTLS)
        configuration.prefix = etcdPrefix
        return try EtcdStorage(configuration: configuration, logger: logger)
    }
}

/// The flags for a TLS connection to etcd (upstream's kube-apiserver names).
struct EtcdOptions: ParsableArguments {
    @Option(name: .customLong("etcd-cafile"), help: "With etcd:// storage: the CA bundle that verifies etcd's serving certificates (enables TLS).")
    var caFile: String?

    @Option(name: .customLong("etcd-certfile"), help: "With etcd:// storage: the client certificate presented to etcd (enables TLS).")
    var certFile: String?

    @Option(name: .customLong("etcd-keyfile"), help: "With etcd:// storage: the key of --etcd-certfile.")
    var keyFile: String?

    @Option(name: .customLong("etcd-prefix"), help: "With etcd:// storage: the prefix of every object's key in etcd (several clusters can share one etcd under different prefixes).")
    var prefix: String = EtcdConfiguration.registryRoot

    /// Opens storage URLs with these TLS files and this prefix for etcd.
    var opener: StorageOpener {
        let tls = caFile != nil || certFile != nil || keyFile != nil
            ? EtcdConfiguration.TLSFiles(caFile: caFile, certFile: certFile, keyFile: keyFile) : nil
        return StorageOpener(etcdTLS: tls, etcdPrefix: prefix)
    }

    /// Rejects a client certificate without its key (or the reverse), and a prefix that is not an absolute path.
    func validate() throws {
        if (certFile == nil) != (keyFile == nil) {
            throw ValidationError("--etcd-certfile and --etcd-keyfile go together")
        }
        if !prefix.hasPrefix("/") || prefix.count < 2 {
            throw ValidationError("--etcd-prefix must be an absolute key path such as /registry")
        }
    }
}
