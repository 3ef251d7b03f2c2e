import Foundation
import Testing

@testable import SkiffKubelet

/// The image pull secrets' credentials found for an image as upstream's kubelet keyring finds them.
struct DockerKeyringTests {
    private static func configJSON(_ auths: [String: String]) -> (type: String, data: [String: [UInt8]]) {
        let entries = auths.map { location, user in
            "\"\(location)\": {\"auth\": \"\(Data("\(user):pw-\(user)".utf8).base64EncodedString())\"}"
        }
        return (DockerKeyring.dockerConfigJSONType, [DockerKeyring.dockerConfigJSONKey: Array("{\"auths\": {\(entries.joined(separator: ","))}}".utf8)])
    }

    @Test func findsTheRegistryOfTheImageByHostAndPort() {
        let keyring = DockerKeyring(secrets: [Self.configJSON(["127.0.0.1:5000": "alice", "127.0.0.1:6000": "bob"])])
        #expect(keyring.lookup("127.0.0.1:5000/busybox:latest") == [RegistryCredential(username: "alice", password: "pw-alice")])
        #expect(keyring.lookup("127.0.0.1:6000/team/app@sha256:abc") == [RegistryCredential(username: "bob", password: "pw-bob")])
        #expect(keyring.lookup("127.0.0.1:7000/busybox").isEmpty)
        #expect(keyring.lookup("busybox").isEmpty)
    }

    @Test func prefersTheLongestPathAndDropsSchemesAndAPIVersions() {
        let keyring = DockerKeyring(secrets: [
            Self.configJSON(["https://quay.io/v2/": "any", "quay.io/team": "team"]), Self.configJSON(["http://quay.io/team/app": "app"]),
        ])
        #expect(keyring.lookup("quay.io/team/app:v1").map(\.username) == ["app", "team", "any"])
        #expect(keyring.lookup("quay.io/other/app").map(\.username) == ["any"])
    }

    @Test func matchesHostGlobsPartByPart() {
        let keyring = DockerKeyring(secrets: [Self.configJSON(["*.example.com": "glob"])])
        #expect(keyring.lookup("registry.example.com/app").map(\.username) == ["glob"])
        #expect(keyring.lookup("a.registry.example.com/app").isEmpty)
        #expect(keyring.lookup("example.com/app").isEmpty)
    }

    @Test func dockerHubImagesFallBackToTheIndexEntry() {
        let keyring = DockerKeyring(secrets: [Self.configJSON(["https://index.docker.io/v1/": "hub"])])
        #expect(keyring.lookup("busybox").map(\.username) == ["hub"])
        #expect(keyring.lookup("docker.io/library/nginx:1.27").map(\.username) == ["hub"])
        #expect(keyring.lookup("ghcr.io/owner/app").isEmpty)
    }

    @Test func readsDockercfgSecretsAndPlainUserNamesAndIgnoresOtherTypes() {
        let dockercfg = (DockerKeyring.dockercfgType, [DockerKeyring.dockercfgKey: Array(#"{"r.io": {"username": "u", "password": "p"}}"#.utf8)])
        let opaque = ("Opaque", [DockerKeyring.dockerConfigJSONKey: Array(#"{"auths": {"r.io": {"username": "x", "password": "y"}}}"#.utf8)])
        let broken = (DockerKeyring.dockerConfigJSONType, [DockerKeyring.dockerConfigJSONKey: Array(#"{"auths": {"r.io": {"auth": "not base64!"}}}"#.utf8)])
        let keyring = DockerKeyring(secrets: [dockercfg, opaque, broken])
        #expect(keyring.lookup("r.io/app") == [RegistryCredential(username: "u", password: "p")])
    }

    @Test func triesEachCredentialAndAggregatesTheFailures() async throws {
        let credentials = [RegistryCredential(username: "a", password: "1"), RegistryCredential(username: "b", password: "2")]
        let second = try await RegistryCredential.tryEach(credentials) { credential in
            guard credential?.username == "b" else { throw RuntimeError(.imagePull, "denied \(credential?.username ?? "-")") }
            return "pulled"
        }
        #expect(second == "pulled")
        let failure = await #expect(throws: RuntimeError.self) {
            try await RegistryCredential.tryEach(credentials) { throw RuntimeError(.imagePull, "denied \($0?.username ?? "-")") }
        }
        #expect(failure == RuntimeError(.imagePull, "[denied a, denied b]"))
        let anonymous = try await RegistryCredential.tryEach([]) { $0 == nil ? "anonymous" : "with credentials" }
        #expect(anonymous == "anonymous")
    }
}
