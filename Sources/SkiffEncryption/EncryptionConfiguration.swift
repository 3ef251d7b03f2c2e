import Foundation
import SkiffAPI
import SkiffStorage
import Yams

/// An `apiserver.config.k8s.io/v1` `EncryptionConfiguration` (`--encryption-provider-config`):
/// which resources are encrypted at rest, and with which providers. The first provider of a
/// resource encrypts its writes; every provider is tried on reads, by prefix.
public struct EncryptionConfiguration: Decodable, Sendable {
    public var kind: String?
    public var apiVersion: String?
    public var resources: [ResourceConfiguration]

    /// One entry of `resources`: group/resources (`secrets`, `deployments.apps`, `*.apps`, `*.`,
    /// `*.*`) and their providers in order.
    public struct ResourceConfiguration: Decodable, Sendable {
        public var resources: [String]
        public var providers: [ProviderConfiguration]
    }

    /// One provider: exactly one of its fields set.
    public struct ProviderConfiguration: Decodable, Sendable {
        public var aescbc: KeysConfiguration?
        public var aesgcm: KeysConfiguration?
        public var secretbox: KeysConfiguration?
        public var identity: Empty?
        public var kms: Empty?
    }

    /// The keys of a provider, the first encrypting.
    public struct KeysConfiguration: Decodable, Sendable {
        public var keys: [Key]?
    }

    /// A named key, its secret in base64.
    public struct Key: Decodable, Sendable {
        public var name: String?
        public var secret: String?
    }

    /// A provider with no settings (`identity: {}`), or settings Skiff does not read (`kms`).
    public struct Empty: Decodable, Sendable {}

    /// Reads and checks the file at `path` (YAML or JSON).
    public static func load(path: String) throws(EncryptionConfigurationError) -> EncryptionConfiguration {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EncryptionConfigurationError("error reading encryption provider configuration file \"\(path)\"")
        }
        guard !data.isEmpty else { throw EncryptionConfigurationError("encryption provider configuration file \"\(path)\" is empty") }
        let configuration: EncryptionConfiguration
        do {
            configuration = try YAMLDecoder().decode(EncryptionConfiguration.self, from: data)
        } catch {
            throw EncryptionConfigurationError("error decoding encryption provider configuration file \"\(path)\": \(error)")
        }
        let errors = configuration.validationErrors()
        guard errors.isEmpty else { throw EncryptionConfigurationError(errors.joined(separator: ", ")) }
        return configuration
    }

    /// What is wrong with the configuration, in upstream's field-path style; empty when valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if kind != "EncryptionConfiguration" || apiVersion != "apiserver.config.k8s.io/v1" {
            errors.append("got unexpected config type: \(apiVersion ?? "")/\(kind ?? ""), expected apiserver.config.k8s.io/v1, Kind=EncryptionConfiguration")
        }
        if resources.isEmpty { errors.append("resources: Required value: EncryptionConfiguration.Resources must contain at least one resource") }
        for (index, entry) in resources.enumerated() {
            let path = "resources[\(index)]"
            if entry.resources.isEmpty { errors.append("\(path).resources: Required value: resources must be specified") }
            for (resourceIndex, resource) in entry.resources.enumerated() where resource == "*" || resource.isEmpty {
                errors.append("\(path).resources[\(resourceIndex)]: Invalid value: \"\(resource)\": use '*.' to encrypt all the resources from core API group or *.* to encrypt all resources")
            }
            if entry.providers.isEmpty { errors.append("\(path).providers: Required value: providers must be specified") }
            for (providerIndex, provider) in entry.providers.enumerated() {
                errors += provider.validationErrors(path: "\(path).providers[\(providerIndex)]")
            }
        }
        return errors
    }

    /// Each configured group/resource's transformer; resources nothing names are stored as they are.
    public func transformers() throws(EncryptionConfigurationError) -> EncryptionTransformers {
        var providers: [GroupResource: [PrefixTransformers.Entry]] = [:]
        for entry in resources {
            let transformers = try entry.providers.map { provider throws(EncryptionConfigurationError) in try provider.transformer() }
            for resource in entry.resources {
                let groupResource = EncryptionTransformers.parse(resource)
                for masking in [GroupResource(group: groupResource.group, resource: "*"), GroupResource(group: "*", resource: "*")]
                where masking != groupResource && providers[masking] != nil {
                    throw EncryptionConfigurationError(
                        "resource \"\(EncryptionTransformers.render(groupResource))\" is masked by earlier rule \"\(EncryptionTransformers.render(masking))\"")
                }
                providers[groupResource, default: []] += transformers
            }
        }
        return EncryptionTransformers(byResource: providers.mapValues {
            PrefixTransformers($0, noMatch: "no matching prefix found")
        })
    }
}

extension EncryptionConfiguration.ProviderConfiguration {
    func validationErrors(path: String) -> [String] {
        let set = [aescbc != nil, aesgcm != nil, secretbox != nil, identity != nil, kms != nil].filter { $0 }.count
        if set == 0 { return ["\(path): Invalid value: \"provider does not contain any of the expected providers: KMS, AESGCM, AESCBC, Secretbox, Identity\""] }
        if set > 1 { return ["\(path): Invalid value: \"more than one provider specified in a single element, should split into different list elements\""] }
        if kms != nil { return ["\(path).kms: Unsupported value: Skiff has no KMS providers (use aescbc, aesgcm or secretbox)"] }
        if let aescbc { return aescbc.validationErrors(path: path + ".aescbc", sizes: [16, 24, 32]) }
        if let aesgcm { return aesgcm.validationErrors(path: path + ".aesgcm", sizes: [16, 24, 32]) }
        if let secretbox { return secretbox.validationErrors(path: path + ".secretbox", sizes: [32]) }
        return []
    }

    /// The provider's prefix and transformer (its keys behind their own prefixes).
    func transformer() throws(EncryptionConfigurationError) -> PrefixTransformers.Entry {
        if let aescbc {
            return try Self.keyed("aescbc", aescbc, kind: "AES") { try AESCBCTransformer(key: $0) }
        }
        if let aesgcm {
            return try Self.keyed("aesgcm", aesgcm, kind: "AES") { try AESGCMTransformer(key: $0) }
        }
        if let secretbox {
            let sodium = try Libsodium.shared.get()
            return try Self.keyed("secretbox", secretbox, kind: "Secretbox") { try SecretboxTransformer(key: $0, sodium: sodium) }
        }
        return PrefixTransformers.Entry(prefix: [], transformer: IdentityTransformer())
    }

    /// `k8s:enc:NAME:v1:` over one `KEYNAME:` prefix per key.
    private static func keyed(_ provider: String, _ configuration: EncryptionConfiguration.KeysConfiguration, kind: String,
                              _ make: ([UInt8]) throws -> any ValueTransformer) throws(EncryptionConfigurationError) -> PrefixTransformers.Entry {
        var keys: [PrefixTransformers.Entry] = []
        for key in configuration.keys ?? [] {
            guard let name = key.name, let secret = key.secret.flatMap({ Data(base64Encoded: $0) }) else {
                throw EncryptionConfigurationError("invalid key in the \(provider) provider")
            }
            do {
                keys.append(PrefixTransformers.Entry(prefix: Array((name + ":").utf8), transformer: try make(Array(secret))))
            } catch {
                throw EncryptionConfigurationError("error while creating the \(provider) transformer for key \"\(name)\": \(error)")
            }
        }
        return PrefixTransformers.Entry(
            prefix: Array("k8s:enc:\(provider):v1:".utf8),
            transformer: PrefixTransformers(keys, noMatch: "no matching key was found for the provided \(kind) transformer"))
    }
}

extension EncryptionConfiguration.KeysConfiguration {
    func validationErrors(path: String, sizes: [Int]) -> [String] {
        guard let keys, !keys.isEmpty else { return ["\(path).keys: Required value: keys (at least one) must be specified"] }
        var errors: [String] = []
        var names: Set<String> = []
        for (index, key) in keys.enumerated() {
            let keyPath = "\(path).keys[\(index)]"
            if let name = key.name, !name.isEmpty {
                if name.contains(":") { errors.append("\(keyPath).name: Invalid value: \"\(name)\": should not contain ':'") }
                if !names.insert(name).inserted { errors.append("\(keyPath).name: Duplicate value: \"\(name)\"") }
            } else {
                errors.append("\(keyPath).name: Required value: key's name must be specified")
            }
            guard let secret = key.secret, !secret.isEmpty else {
                errors.append("\(keyPath).secret: Required value: key's secret must be specified")
                continue
            }
            guard let bytes = Data(base64Encoded: secret) else {
                errors.append("\(keyPath).secret: Invalid value: \"REDACTED\": secrets must be base64 encoded")
                continue
            }
            if !sizes.contains(bytes.count) {
                errors.append("\(keyPath).secret: Invalid value: \"REDACTED\": secret is not of the expected length, got \(bytes.count), expected one of [\(sizes.map(String.init).joined(separator: " "))]")
            }
        }
        return errors
    }
}

/// Why an encryption configuration cannot be used; the server refuses to start with it.
public struct EncryptionConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
