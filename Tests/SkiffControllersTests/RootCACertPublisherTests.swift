import Crypto
import SkiffAPI
import SkiffClient
import SkiffControllers
import SkiffPKI
import SkiffTesting
import Testing

/// Every active namespace has the `kube-root-ca.crt` ConfigMap with the cluster CA, put back when changed or deleted.
struct RootCACertPublisherTests {
    @Test func theCAIsPublishedAndKeptInEveryNamespace() async throws {
        let signer = try await ServiceAccountTokenSigner(signingKey: P256.Signing.PrivateKey())
        let tokens = ServiceAccountTokenController.Configuration(signer: signer, rootCAPEM: "-----BEGIN CERTIFICATE-----\nCA\n")
        try await InProcessCluster.withControllers(controllers: [.rootCACertPublisher], configure: { $0.serviceAccountTokens = tokens }) { cluster in
            _ = try await cluster.namespaces.create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "team"]])
            let maps = cluster.configMaps("team")
            try await waitUntil("the CA published") { try await InProcessCluster.exists("kube-root-ca.crt", in: maps) }
            let published = try await maps.get("kube-root-ca.crt")
            #expect(published["data"] == ["ca.crt": "-----BEGIN CERTIFICATE-----\nCA\n"])
            #expect(published[path: "metadata", "annotations", "kubernetes.io/description"]?.stringValue?.hasPrefix("Contains a CA bundle") == true)

            var changed = published
            changed["data"] = ["ca.crt": "forged"]
            _ = try await maps.update(changed)
            try await waitUntil("the CA put back") {
                try await maps.get("kube-root-ca.crt")[path: "data", "ca.crt"] == "-----BEGIN CERTIFICATE-----\nCA\n"
            }
            try await maps.delete("kube-root-ca.crt")
            try await waitUntil("the CA published again") { try await InProcessCluster.exists("kube-root-ca.crt", in: maps) }
            try await waitUntil("existing namespaces served too") {
                try await InProcessCluster.exists("kube-root-ca.crt", in: cluster.configMaps("kube-system"))
            }
        }
    }
}
