import Foundation
import Yams

extension Kubeconfig {
    /// A configuration of one context, `name`, joining a cluster and a user of the same names
    /// as given: what a tool writes for the cluster it starts (`skiff up`'s `admin.kubeconfig`).
    public init(context name: String, server: String, user: String, namespace: String? = nil) {
        self.init()
        var cluster = Cluster()
        cluster.server = server
        clusters[name] = cluster
        users[user] = User()
        contexts[name] = Context(cluster: name, user: user, namespace: namespace)
        currentContext = name
    }

    /// The configuration as a kubeconfig document (`apiVersion: v1`, `kind: Config`), entries in
    /// name order; inline certificates and keys are base64-encoded. Reading it back with
    /// `init(yaml:)` gives this configuration.
    public func yaml() throws(ConfigurationError) -> String {
        let file = KubeconfigFile(
            apiVersion: "v1", kind: "Config",
            clusters: clusters.sorted { $0.key < $1.key }.map { name, cluster in
                KubeconfigFile.ClusterEntry(name: name, cluster: KubeconfigFile.ClusterFields(
                    server: cluster.server, certificateAuthority: cluster.certificateAuthority,
                    certificateAuthorityData: cluster.certificateAuthorityData.map { Data($0).base64EncodedString() },
                    insecureSkipTLSVerify: cluster.insecureSkipTLSVerify ? true : nil))
            },
            users: users.sorted { $0.key < $1.key }.map { name, user in
                KubeconfigFile.UserEntry(name: name, user: KubeconfigFile.UserFields(
                    clientCertificate: user.clientCertificate,
                    clientCertificateData: user.clientCertificateData.map { Data($0).base64EncodedString() },
                    clientKey: user.clientKey, clientKeyData: user.clientKeyData.map { Data($0).base64EncodedString() },
                    token: user.token, tokenFile: user.tokenFile, username: user.username, password: user.password))
            },
            contexts: contexts.sorted { $0.key < $1.key }.map { name, context in
                KubeconfigFile.ContextEntry(name: name, context: KubeconfigFile.ContextFields(
                    cluster: context.cluster, user: context.user, namespace: context.namespace))
            },
            currentContext: currentContext)
        do {
            return try YAMLEncoder().encode(file)
        } catch {
            throw ConfigurationError("cannot write kubeconfig: \(error)")
        }
    }
}
