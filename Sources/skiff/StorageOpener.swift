import ArgumentParser
import Logging
import SkiffEtcd
import SkiffStorage

/// Opens a storage URL: `etcd://` with the etcd backend, the others with `StorageURL`.
struct StorageOpener: Sendable {
    /// TLS files for etcd, nil for plaintext.
    var etcdTLS: EtcdConfiguration.TLSFiles?

    func open(_ url: String, logger: Logger) throws -> any Storage {
        guard url.hasPrefix(EtcdConfiguration.scheme) else { return try StorageURL.open(url, logger: logger) }
        return try EtcdStorage(configuration: EtcdConfiguration(url: url, tls: etcdTLS), logger: logger)
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

    /// Opens storage URLs with these TLS files for etcd.
    var opener: StorageOpener {
        guard caFile != nil || certFile != nil || keyFile != nil else { return StorageOpener(etcdTLS: nil) }
        return StorageOpener(etcdTLS: EtcdConfiguration.TLSFiles(caFile: caFile, certFile: certFile, keyFile: keyFile))
    }

    /// Rejects a client certificate without its key (or the reverse).
    func validate() throws {
        if (certFile == nil) != (keyFile == nil) {
            throw ValidationError("--etcd-certfile and --etcd-keyfile go together")
        }
    }
}
