import NIOHTTP1
import SkiffAPI

extension WebhookClient {
    /// `path` on the extension server an APIService's `service` names: the URL is
    /// `https://<name>.<namespace>.svc:<endpoint port><path>`, dialled at a ready endpoint address.
    func target(ofService service: JSONValue, path: String) async throws(Unresolved) -> Target {
        let namespace = service["namespace"]?.stringValue ?? "", name = service["name"]?.stringValue ?? ""
        let endpoint = try await endpoint(namespace: namespace, name: name, port: service["port"]?.intValue ?? 443)
        let host = "\(name).\(namespace).svc"
        return Target(url: "https://\(host):\(endpoint.port)\(path)", dnsOverride: [host: endpoint.address])
    }

    /// GETs `target` of the extension server of `apiService` as the aggregator does (its
    /// `caBundle` or `insecureSkipTLSVerify`, the front-proxy certificate `identity`, the user
    /// `system:kube-aggregator` in the identity headers) and returns the JSON it answers.
    func get(_ target: Target, ofAPIService apiService: JSONValue, identity: ProxyClientIdentity?, timeout: Duration) async throws(CallError) -> JSONValue {
        try await send(.GET, headers: Self.aggregatorHeaders, to: target, caBundle: apiService[path: "spec", "caBundle"]?.stringValue ?? "",
                       insecureSkipTLSVerify: apiService[path: "spec", "insecureSkipTLSVerify"]?.boolValue ?? false,
                       identity: identity, timeout: timeout)
    }

    /// Who the aggregator's own requests are, as upstream's availability controller says in the identity headers.
    static let aggregatorHeaders = FrontProxyHeaders.setting(UserInfo(name: "system:kube-aggregator", groups: ["system:masters"]), on: [:])
}
