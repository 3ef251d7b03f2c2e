import Foundation
import SkiffDNS
import SkiffModels

/// A pod's `/etc/resolv.conf` from its `dnsPolicy` and `dnsConfig`, as upstream's kubelet forms it
/// (pkg/kubelet/network/dns): `ClusterFirst` (and `ClusterFirstWithHostNet`) name the cluster DNS
/// and search `<ns>.svc.<domain> svc.<domain> <domain>` and the host's domains with `ndots:5`
/// (a host-network `ClusterFirst` pod, or a kubelet without `--cluster-dns`, gets `Default`);
/// `Default` is the host's file; `None` starts empty. `dnsConfig` is appended (nameservers and
/// searches after, without duplicates; its options replace those of the same name), then the
/// limits apply: 3 nameservers, 32 search domains of at most 253 characters, 2048 characters in all.
public struct PodDNSConfigurer: Sendable {
    /// The kubelet's DNS flags.
    public struct Settings: Sendable {
        /// `--cluster-dns`: the cluster DNS server addresses (empty: `ClusterFirst` acts as `Default`).
        public var clusterDNS: [String] = []
        /// `--cluster-domain`.
        public var clusterDomain = "cluster.local"
        /// `--resolv-conf`: the host file `Default` pods get and the others take search domains
        /// from ("": none, and `Default` pods resolve through 127.0.0.1).
        public var resolvConf = "/etc/resolv.conf"

        public init() {}
    }

    static let maxNameservers = 3
    static let maxSearchPaths = 32
    static let maxSearchListCharacters = 2048
    static let maxSearchPathLength = 253

    let settings: Settings
    /// The host's resolver configuration (of `settings.resolvConf`).
    let host: ResolvConf

    init(settings: Settings, host: ResolvConf) {
        self.settings = settings
        self.host = host
    }

    /// Reads the host file `settings` names (a file that cannot be read counts as empty).
    init(settings: Settings) {
        let text = settings.resolvConf.isEmpty ? nil : try? String(contentsOfFile: settings.resolvConf, encoding: .utf8)
        self.init(settings: settings, host: text.map(ResolvConf.init(parsing:)) ?? ResolvConf())
    }

    /// The resolv.conf of `pod`.
    func configuration(for pod: CoreV1.Pod) -> ResolvConf {
        let spec = pod.spec
        let hostNetwork = spec?.hostNetwork == true
        var conf = host
        switch spec?.dnsPolicy ?? "ClusterFirst" {
        case "None":
            conf = ResolvConf()
        case "ClusterFirstWithHostNet" where !settings.clusterDNS.isEmpty, "ClusterFirst" where !hostNetwork && !settings.clusterDNS.isEmpty:
            conf.nameservers = settings.clusterDNS
            conf.searches = settings.clusterDomain.isEmpty
                ? host.searches
                : Self.unique(["\(pod.namespace).svc.\(settings.clusterDomain)", "svc.\(settings.clusterDomain)", settings.clusterDomain] + host.searches)
            conf.options = ["ndots:5"]
        default:
            if settings.resolvConf.isEmpty {
                conf = ResolvConf(nameservers: ["127.0.0.1"], searches: ["."], options: host.options)
            }
        }
        if let extra = spec?.dnsConfig {
            conf.nameservers = Self.unique(conf.nameservers + (extra.nameservers ?? []))
            conf.searches = Self.unique(conf.searches + (extra.searches ?? []))
            conf.options = Self.merge(conf.options, extra.options ?? [])
        }
        return Self.fitLimits(conf)
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    /// Options by name, a later one replacing an earlier one in place.
    static func merge(_ options: [String], _ extra: [CoreV1.PodDNSConfigOption]) -> [String] {
        var merged = options
        for option in extra {
            guard let name = option.name else { continue }
            let text = option.value.map { "\(name):\($0)" } ?? name
            if let index = merged.firstIndex(where: { $0 == name || $0.hasPrefix(name + ":") }) {
                merged[index] = text
            } else {
                merged.append(text)
            }
        }
        return merged
    }

    static func fitLimits(_ conf: ResolvConf) -> ResolvConf {
        var conf = conf
        conf.nameservers = Array(conf.nameservers.prefix(maxNameservers))
        conf.searches = conf.searches.prefix(maxSearchPaths).filter { $0.count <= maxSearchPathLength }
        while conf.searches.joined(separator: " ").count > maxSearchListCharacters { conf.searches.removeLast() }
        return conf
    }
}
