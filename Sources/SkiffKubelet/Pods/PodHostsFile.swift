import Foundation
import SkiffModels

/// A pod's `/etc/hosts`, as upstream's kubelet writes it to `<pod dir>/etc-hosts` and binds into
/// every container: a header, `localhost` and the IPv6 names, the pod's IP with its hostname
/// (`<hostname>.<subdomain>.<ns>.svc.<domain>` first when the pod has a subdomain), then the
/// pod's `hostAliases` (one line per alias, its names tab-separated). A host-network pod gets
/// the node's own file instead, under its header, with the aliases after it.
struct PodHostsFile: Sendable, Equatable {
    static let header = "# Kubernetes-managed hosts file.\n"
    static let hostNetworkHeader = "# Kubernetes-managed hosts file (host network).\n"

    /// The file's text.
    let text: String

    /// The file of `pod` at `podIP` in a cluster of domain `clusterDomain`; `nodeHosts` is the
    /// node's `/etc/hosts` (read for host-network pods only).
    init(pod: CoreV1.Pod, podIP: String, clusterDomain: String, nodeHosts: () -> String) {
        let aliases = Self.aliases(pod.spec?.hostAliases ?? [])
        if pod.spec?.hostNetwork == true {
            text = Self.hostNetworkHeader + nodeHosts() + aliases
            return
        }
        let hostname = String((pod.spec?.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? pod.name).prefix(63))
        var lines = Self.header
        lines += "127.0.0.1\tlocalhost\n"
        lines += "::1\tlocalhost ip6-localhost ip6-loopback\n"
        lines += "fe00::0\tip6-localnet\n"
        lines += "fe00::0\tip6-mcastprefix\n"
        lines += "fe00::1\tip6-allnodes\n"
        lines += "fe00::2\tip6-allrouters\n"
        if let subdomain = pod.spec?.subdomain, !subdomain.isEmpty {
            lines += "\(podIP)\t\(hostname).\(subdomain).\(pod.namespace).svc.\(clusterDomain)\t\(hostname)\n"
        } else {
            lines += "\(podIP)\t\(hostname)\n"
        }
        text = lines + aliases
    }

    /// The node's `/etc/hosts` ("" when it cannot be read).
    static func readNodeHosts() -> String {
        (try? String(contentsOfFile: "/etc/hosts", encoding: .utf8)) ?? ""
    }

    private static func aliases(_ aliases: [CoreV1.HostAlias]) -> String {
        guard !aliases.isEmpty else { return "" }
        var lines = "\n# Entries added by HostAliases.\n"
        for alias in aliases { lines += "\(alias.ip)\t\((alias.hostnames ?? []).joined(separator: "\t"))\n" }
        return lines
    }
}
