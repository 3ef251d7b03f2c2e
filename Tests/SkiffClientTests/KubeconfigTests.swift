import Foundation
import Testing

@testable import SkiffClient

/// Kubeconfig loading with kubectl's rules, on fixture files in a temporary directory.
struct KubeconfigTests {
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-kubeconfig-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/certs", withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let first = """
        apiVersion: v1
        kind: Config
        current-context: alpha
        clusters:
        - name: alpha
          cluster:
            server: https://alpha.example:6443
            certificate-authority: certs/ca.pem
        - name: shared
          cluster:
            server: https://first.example
        contexts:
        - name: alpha
          context: {cluster: alpha, user: alice, namespace: team-a}
        - name: shared
          context: {cluster: shared, user: alice}
        users:
        - name: alice
          user:
            tokenFile: certs/token
        """

    static let second = """
        apiVersion: v1
        kind: Config
        current-context: beta
        clusters:
        - name: shared
          cluster:
            server: https://second.example
        - name: beta
          cluster:
            server: https://beta.example
            insecure-skip-tls-verify: true
        contexts:
        - name: beta
          context: {cluster: beta, user: bob}
        users:
        - name: bob
          user:
            token: bob-token
            client-certificate-data: \(Data("CERT".utf8).base64EncodedString())
            client-key-data: \(Data("KEY".utf8).base64EncodedString())
        """

    @Test func mergesWithFirstFileWinning() throws {
        let a = try write("a.yaml", Self.first)
        let b = try write("b.yaml", Self.second)
        let rules = ClientConfiguration.LoadingRules(kubeconfigVariable: "\(a):\(directory)/missing.yaml:\(b)")
        let merged = try rules.load()
        #expect(merged.currentContext == "alpha")
        #expect(merged.clusters["shared"]?.server == "https://first.example")
        #expect(merged.clusters["beta"]?.server == "https://beta.example")
        #expect(Set(merged.contexts.keys) == ["alpha", "shared", "beta"])
        #expect(Set(merged.users.keys) == ["alice", "bob"])
    }

    @Test func writtenConfigurationsReadBack() throws {
        var config = Kubeconfig(context: "skiff", server: "http://127.0.0.1:6443", user: "admin", namespace: "default")
        #expect(try Kubeconfig(yaml: config.yaml()) == config)
        var cluster = Kubeconfig.Cluster()
        cluster.server = "https://remote.example"
        cluster.certificateAuthorityData = Array("CA".utf8)
        cluster.insecureSkipTLSVerify = true
        config.clusters["remote"] = cluster
        var user = Kubeconfig.User()
        user.token = "t"
        user.clientKeyData = Array("KEY".utf8)
        config.users["robot"] = user
        config.contexts["remote"] = Kubeconfig.Context(cluster: "remote", user: "robot")
        #expect(try Kubeconfig(yaml: config.yaml()) == config)
    }

    @Test func resolvesRelativePathsAgainstTheFilesDirectory() throws {
        let path = try write("a.yaml", Self.first)
        let config = try Kubeconfig(contentsOfFile: path)
        #expect(config.clusters["alpha"]?.certificateAuthority == directory + "/certs/ca.pem")
        #expect(config.users["alice"]?.tokenFile == directory + "/certs/token")
    }

    @Test func buildsTheCurrentContext() throws {
        try "CA".write(toFile: directory + "/certs/ca.pem", atomically: true, encoding: .utf8)
        let path = try write("a.yaml", Self.first)
        let configuration = try ClientConfiguration.load(rules: .init(explicitPath: path))
        #expect(configuration.server == "https://alpha.example:6443")
        #expect(configuration.namespace == "team-a")
        #expect(configuration.certificateAuthorityPEM == Array("CA".utf8))
        #expect(configuration.bearerTokenFile == directory + "/certs/token")
        #expect(configuration.qps == 5)
        #expect(configuration.burst == 10)
    }

    @Test func contextOverrideAndInlineData() throws {
        let a = try write("a.yaml", Self.first)
        let b = try write("b.yaml", Self.second)
        let configuration = try ClientConfiguration.load(rules: .init(kubeconfigVariable: "\(a):\(b)"), context: "beta")
        #expect(configuration.server == "https://beta.example")
        #expect(configuration.namespace == "default")
        #expect(configuration.insecureSkipTLSVerify)
        #expect(configuration.bearerToken == "bob-token")
        #expect(configuration.clientCertificatePEM == Array("CERT".utf8))
        #expect(configuration.clientKeyPEM == Array("KEY".utf8))
    }

    @Test func explicitPathIsUsedAloneAndMustExist() throws {
        let b = try write("b.yaml", Self.second)
        let rules = ClientConfiguration.LoadingRules(explicitPath: b, kubeconfigVariable: try write("a.yaml", Self.first))
        #expect(rules.paths == [b])
        #expect(try rules.load().currentContext == "beta")
        #expect(throws: ConfigurationError.self) {
            try ClientConfiguration.LoadingRules(explicitPath: directory + "/none.yaml").load()
        }
    }

    @Test func defaultsToTheHomeDirectory() {
        let rules = ClientConfiguration.LoadingRules(homeDirectory: "/home/me")
        #expect(rules.paths == ["/home/me/.kube/config"])
    }

    @Test func unknownContextIsAnError() throws {
        let path = try write("a.yaml", Self.first)
        #expect(throws: ConfigurationError("context \"nope\" does not exist")) {
            try ClientConfiguration.load(rules: .init(explicitPath: path), context: "nope")
        }
    }

    @Test func inClusterConfiguration() throws {
        let accountDirectory = directory + "/serviceaccount"
        try FileManager.default.createDirectory(atPath: accountDirectory, withIntermediateDirectories: true)
        try "the-token".write(toFile: accountDirectory + "/token", atomically: true, encoding: .utf8)
        try "CA".write(toFile: accountDirectory + "/ca.crt", atomically: true, encoding: .utf8)
        try "kube-system\n".write(toFile: accountDirectory + "/namespace", atomically: true, encoding: .utf8)
        let configuration = try ClientConfiguration.inCluster(
            environment: ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"], directory: accountDirectory)
        #expect(configuration.server == "https://10.96.0.1:443")
        #expect(configuration.namespace == "kube-system")
        #expect(configuration.bearerTokenFile == accountDirectory + "/token")
        #expect(configuration.certificateAuthorityPEM == Array("CA".utf8))
        #expect(throws: ConfigurationError.self) {
            try ClientConfiguration.inCluster(environment: [:], directory: accountDirectory)
        }
    }
}
