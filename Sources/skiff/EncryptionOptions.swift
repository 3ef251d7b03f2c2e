import ArgumentParser
import SkiffAPIServer
import SkiffEncryption

/// Encryption at rest, as kube-apiserver's `--encryption-provider-config`.
struct EncryptionOptions: ParsableArguments {
    @Option(name: .customLong("encryption-provider-config"),
            help: "An apiserver.config.k8s.io/v1 EncryptionConfiguration: the resources (e.g. secrets) stored encrypted, and the providers (aescbc, aesgcm, secretbox, identity) and keys; the first provider encrypts.")
    var providerConfig: String?

    /// Sets the resources' transformers in `configuration`; a configuration that cannot be used
    /// stops the server from starting.
    func apply(to configuration: inout APIServerService.Configuration) throws {
        guard let providerConfig else { return }
        let transformers = try EncryptionConfiguration.load(path: providerConfig).transformers()
        configuration.storageTransformers = { transformers.transformer(for: $0) }
    }
}
