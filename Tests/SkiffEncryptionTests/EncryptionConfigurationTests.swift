import Foundation
import SkiffAPI
@testable import SkiffEncryption
import SkiffStorage
import Testing

@Suite struct EncryptionConfigurationTests {
    static let key1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let key2 = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
    static let secrets = GroupResource(group: "", resource: "secrets")
    static let key = "/registry/secrets/default/s1"

    static func configuration(_ providers: String, resources: String = "[secrets]") throws -> EncryptionConfiguration {
        let text = """
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: \(resources)
                providers:
            \(providers)
            """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("encryption-\(UUID().uuidString).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try EncryptionConfiguration.load(path: path)
    }

    static func provider(_ name: String, keys: [(String, String)]) -> String {
        "      - \(name):\n          keys:\n" + keys.map { "            - name: \($0.0)\n              secret: \($0.1)\n" }.joined()
    }

    static func transformer(_ configuration: EncryptionConfiguration, for resource: GroupResource = secrets) throws -> any ValueTransformer {
        try #require(try configuration.transformers().transformer(for: resource))
    }

    @Test(arguments: ["aescbc", "aesgcm", "secretbox"])
    func roundTripBehindUpstreamPrefix(_ provider: String) throws {
        if provider == "secretbox", case .failure = Libsodium.shared { return }
        let transformer = try Self.transformer(Self.configuration(Self.provider(provider, keys: [("key1", Self.key1)])))
        let plaintext = Array(#"{"kind":"Secret","data":{"password":"c2VjcmV0"}}"#.utf8)
        let stored = try transformer.transformToStorage(plaintext, authenticatedData: Self.key)
        #expect(stored.starts(with: Array("k8s:enc:\(provider):v1:key1:".utf8)))
        #expect(!String(decoding: stored, as: UTF8.self).contains("c2VjcmV0"))
        let (data, stale) = try transformer.transformFromStorage(stored, authenticatedData: Self.key)
        #expect(data == plaintext)
        #expect(!stale)
        #expect(try transformer.transformToStorage(plaintext, authenticatedData: Self.key) != stored)
    }

    /// Values made with Python's `cryptography` in upstream's layouts (IV + CBC; nonce + GCM sealed with the key as data).
    @Test func decryptsKnownVectors() throws {
        let cbc = try Self.transformer(Self.configuration(Self.provider("aescbc", keys: [("key1", Self.key1)])))
        let cbcValue = Array("k8s:enc:aescbc:v1:key1:".utf8) + Array(Data(base64Encoded: "ZGVmZ2hpamtsbW5vcHFyc0QoOoqApFy6KZZrYKXFvatKS5ijV8GZnAORzLzhN4Zy")!)
        #expect(try cbc.transformFromStorage(cbcValue, authenticatedData: Self.key).data == Array(#"{"kind":"Secret"}"#.utf8))
        let gcm = try Self.transformer(Self.configuration(Self.provider("aesgcm", keys: [("key1", Self.key1)])))
        let gcmValue = Array("k8s:enc:aesgcm:v1:key1:".utf8) + Array(Data(base64Encoded: "yMnKy8zNzs/Q0dLTaloKsuio2RpWb3rdbGOfNp0i+Q6C5oJ3sQXCsrMhfJr3")!)
        #expect(try gcm.transformFromStorage(gcmValue, authenticatedData: Self.key).data == Array(#"{"kind":"Secret"}"#.utf8))
        // Under another key the authenticated data differs: refused.
        #expect(throws: (any Error).self) { try gcm.transformFromStorage(gcmValue, authenticatedData: "/registry/secrets/default/s2") }
    }

    /// Rotation as upstream documents: key2 added second reads key1's and its own values; moved
    /// first, it writes, and key1's values read as stale (worth rewriting).
    @Test func keyRotation() throws {
        let plaintext = Array("value".utf8)
        let old = try Self.transformer(Self.configuration(Self.provider("aescbc", keys: [("key1", Self.key1)])))
        let written = try old.transformToStorage(plaintext, authenticatedData: Self.key)
        let rotated = try Self.transformer(Self.configuration(Self.provider("aescbc", keys: [("key2", Self.key2), ("key1", Self.key1)])))
        let (data, stale) = try rotated.transformFromStorage(written, authenticatedData: Self.key)
        #expect(data == plaintext)
        #expect(stale)
        let rewritten = try rotated.transformToStorage(plaintext, authenticatedData: Self.key)
        #expect(rewritten.starts(with: Array("k8s:enc:aescbc:v1:key2:".utf8)))
        let dropped = try Self.transformer(Self.configuration(Self.provider("aescbc", keys: [("key2", Self.key2)])))
        #expect(try dropped.transformFromStorage(rewritten, authenticatedData: Self.key).data == plaintext)
        #expect(throws: (any Error).self) { try dropped.transformFromStorage(written, authenticatedData: Self.key) }
        do {
            _ = try dropped.transformFromStorage(written, authenticatedData: Self.key)
        } catch {
            #expect("\(error)" == "no matching key was found for the provided AES transformer")
        }
    }

    /// Plaintext values read through a trailing identity provider (encrypting an existing
    /// cluster); without one they are refused.
    @Test func identityReadsPlaintextOnly() throws {
        let plaintext = Array(#"{"kind":"Secret"}"#.utf8)
        let withIdentity = try Self.transformer(Self.configuration(Self.provider("aesgcm", keys: [("key1", Self.key1)]) + "      - identity: {}\n"))
        let withIdentityRead = try withIdentity.transformFromStorage(plaintext, authenticatedData: Self.key)
        #expect(withIdentityRead.data == plaintext && withIdentityRead.stale)
        let without = try Self.transformer(Self.configuration(Self.provider("aesgcm", keys: [("key1", Self.key1)])))
        do {
            _ = try without.transformFromStorage(plaintext, authenticatedData: Self.key)
            Issue.record("plaintext read without an identity provider")
        } catch {
            #expect("\(error)" == "no matching prefix found")
        }
        let identityFirst = try Self.transformer(Self.configuration("      - identity: {}\n" + Self.provider("aesgcm", keys: [("key1", Self.key1)])))
        let encrypted = try withIdentity.transformToStorage(plaintext, authenticatedData: Self.key)
        let identityFirstRead = try identityFirst.transformFromStorage(encrypted, authenticatedData: Self.key)
        #expect(identityFirstRead.data == plaintext && identityFirstRead.stale)
        #expect(try identityFirst.transformToStorage(plaintext, authenticatedData: Self.key) == plaintext)
    }

    @Test func resourcesLookedUpExactThenGroupThenAll() throws {
        let configuration = try Self.configuration(Self.provider("aescbc", keys: [("key1", Self.key1)]), resources: "[secrets, \"*.apps\"]")
        let transformers = try configuration.transformers()
        #expect(transformers.transformer(for: Self.secrets) != nil)
        #expect(transformers.transformer(for: GroupResource(group: "apps", resource: "deployments")) != nil)
        #expect(transformers.transformer(for: GroupResource(group: "", resource: "configmaps")) == nil)
        let all = try Self.configuration(Self.provider("aescbc", keys: [("key1", Self.key1)]), resources: "[\"*.*\"]").transformers()
        #expect(all.transformer(for: GroupResource(group: "", resource: "configmaps")) != nil)
    }

    @Test func badConfigurationsRefused() throws {
        #expect(throws: EncryptionConfigurationError.self) { try Self.configuration(Self.provider("aescbc", keys: [("key1", "c2hvcnQ=")])) }
        #expect(throws: EncryptionConfigurationError.self) { try Self.configuration(Self.provider("aesgcm", keys: [])) }
        #expect(throws: EncryptionConfigurationError.self) { try Self.configuration("      - {}\n") }
        #expect(throws: EncryptionConfigurationError.self) { try Self.configuration("      - identity: {}\n", resources: "[\"*\"]") }
        do {
            _ = try Self.configuration(Self.provider("aescbc", keys: [("key1", "c2hvcnQ=")]))
        } catch {
            #expect("\(error)".contains("secret is not of the expected length, got 5, expected one of [16 24 32]"))
        }
        let masked = try Self.configuration("      - identity: {}\n", resources: "[\"*.\", secrets]")
        do {
            _ = try masked.transformers()
            Issue.record("a masked resource accepted")
        } catch {
            #expect(error.description == "resource \"secrets\" is masked by earlier rule \"*.\"")
        }
    }
}
