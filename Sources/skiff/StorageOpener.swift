import ArgumentParser
import Logging
import SkiffEtcd
import SkiffStorage

/// Opens the `--storage` URL: `etcd://` with the etcd backend, the others with `StorageURL`.
struct StorageOpener: Sendable {
    /// TLS files for etcd, nil for plaintext.
    var etcdTLS: EtcdConfiguration.TLSFiles?

    func open(_ url: String, logger: Logger) throws -> any Storage {
        guard url.hasPrefix(EtcdConfiguration.scheme) else { return try StorageURL.open(url, logger: logger) }
        return try EtcdStorage(configuration: EtcdConfiguration(url: url, tls: etcdTLS), logger: logger)
    }
}

extension ServerOptions {
    /// The `--etcd-*` TLS files, nil when none is given.
    var etcdTLS: EtcdConfiguration.TLSFiles? {
        guard etcdCAFile != nil || etcdCertFile != nil || etcdKeyFile != nil else { return nil }
        return EtcdConfiguration.TLSFiles(caFile: etcdCAFile, certFile: etcdCertFile, keyFile: etcdKeyFile)
    }

    /// Rejects a client certificate without its key (or the reverse).
    func validate() throws {
        if (etcdCertFile == nil) != (etcdKeyFile == nil) {
            throw ValidationError("--etcd-certfile and --etcd-keyfile go together")
        }
    }
}
