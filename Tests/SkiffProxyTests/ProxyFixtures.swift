import SkiffAPI
import SkiffModels
import SkiffTesting

@testable import SkiffProxy

/// Services and EndpointSlices as the proxy's tests write them.
enum ProxyFixtures {
    static let node = "node-a"

    /// A service `name` in `demo` with one port `http` (80 → 8080) and `spec` merged in.
    static func service(_ name: String, clusterIP: String = "10.96.0.10", spec: JSONValue = [:], status: JSONValue = [:]) -> CoreV1.Service {
        var full: JSONValue = [
            "type": "ClusterIP", "clusterIP": .string(clusterIP),
            "ports": [["name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"]],
        ]
        for (key, value) in spec.objectValue ?? [:] { full[key] = value }
        return ([
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name), "namespace": "demo"], "spec": full, "status": status,
        ] as JSONValue).typed()
    }

    /// An endpoint at `ip` on `node` with conditions.
    static func endpoint(_ ip: String, node: String = ProxyFixtures.node, ready: Bool = true, serving: Bool? = nil, terminating: Bool = false) -> JSONValue {
        [
            "addresses": [.string(ip)], "nodeName": .string(node),
            "conditions": ["ready": .bool(ready), "serving": .bool(serving ?? ready), "terminating": .bool(terminating)],
        ]
    }

    /// A slice of service `service` with port `http` 8080 and `endpoints`.
    static func slice(_ service: String, _ endpoints: [JSONValue], ports: JSONValue = [["name": "http", "port": 8080, "protocol": "TCP"]]) -> DiscoveryV1.EndpointSlice {
        ([
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": ["name": .string("\(service)-abcde"), "namespace": "demo", "labels": ["kubernetes.io/service-name": .string(service)]],
            "endpoints": .array(endpoints), "ports": ports,
        ] as JSONValue).typed()
    }

    /// The ruleset the builder makes of `services` and `slices` on `node`.
    static func ruleset(_ services: [CoreV1.Service], _ slices: [DiscoveryV1.EndpointSlice], clusterCIDR: String? = nil) -> NFTRuleset {
        var configuration = ProxyConfiguration(nodeName: node)
        configuration.clusterCIDR = clusterCIDR
        return RulesetBuilder(configuration: configuration).build(ServicePortTable.make(services: services, slices: slices, nodeName: node))
    }
}

extension NFTRuleset {
    /// The elements of the map `name`.
    func elements(_ name: String) -> [String] { maps.first { $0.name == name }?.elements ?? [] }

    /// The rules of the first service port's chain whose name starts with `prefix`.
    func rules(startingWith prefix: String) -> [String]? { chains.first { $0.name.hasPrefix(prefix) && $0.name.contains("/") }?.rules }

    /// The names of the service ports' chains that start with `prefix` (theirs hold `ns/name/…`).
    func chainNames(startingWith prefix: String) -> [String] { chains.map(\.name).filter { $0.hasPrefix(prefix) && $0.contains("/") } }
}
