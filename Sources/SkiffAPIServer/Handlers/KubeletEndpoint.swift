import AsyncHTTPClient
import SkiffRegistry

/// Where a node's kubelet serves its API: the port the node reports in
/// `status.daemonEndpoints.kubeletEndpoint.Port`, on 127.0.0.1 over plain HTTP until kubelets
/// serve TLS.
enum KubeletEndpoint {
    static let host = "127.0.0.1"

    /// The client of kubelet requests. A failed connection fails the request at once: the shared
    /// client's pool retries connecting until the request's deadline (a day, for `logs -f`), so a
    /// request to a port nobody listens on any more (a node whose restarted kubelet has not yet
    /// reported its new port) waited that long instead of failing.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// The kubelet port of node `name`; nil when the node is unknown or reports none (simulated
    /// nodes).
    static func port(ofNode name: String, nodes: ResourceStore) async -> Int? {
        let node = try? await nodes.get(namespace: nil, name: name, resourceVersion: nil)
        guard let port = node?[path: "status", "daemonEndpoints", "kubeletEndpoint", "Port"]?.intValue, port > 0 else { return nil }
        return Int(port)
    }
}
