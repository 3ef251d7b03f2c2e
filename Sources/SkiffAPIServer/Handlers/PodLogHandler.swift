import AsyncHTTPClient
import NIOCore
import SkiffAPI
import SkiffRegistry

/// `GET pods/log`: picks the container (the only one, or `container=`), finds the pod's node and
/// its kubelet port (`status.daemonEndpoints.kubeletEndpoint.Port`) and streams the kubelet's
/// `/containerLogs` answer back, as upstream's log REST storage does. A node without a kubelet
/// server (simulated nodes) gives an empty log.
struct PodLogHandler: Sendable {
    static let forwardedOptions = ["follow", "previous", "timestamps", "tailLines", "sinceSeconds", "limitBytes"]

    let pods: ResourceStore
    let nodes: ResourceStore
    let namespace: String?
    let name: String
    let request: HTTPRequest

    func handle() async throws -> HTTPResponse {
        guard request.method == .GET else { throw APIError.methodNotAllowed("the server does not allow this method on the requested resource") }
        let pod = try await pods.get(namespace: namespace, name: name, resourceVersion: nil)
        let container = try PodContainerChoice.container(of: pod, podName: name, requested: request.query["container"])
        guard let nodeName = pod[path: "spec", "nodeName"]?.stringValue, !nodeName.isEmpty else { return Self.emptyLog }
        guard let port = await KubeletEndpoint.port(ofNode: nodeName, nodes: nodes) else { return Self.emptyLog }
        let query = Self.forwardedOptions.compactMap { key in request.query[key].map { "\(key)=\($0)" } }.joined(separator: "&")
        let url = "http://\(KubeletEndpoint.host):\(port)/containerLogs/\(namespace ?? "")/\(name)/\(container)" + (query.isEmpty ? "" : "?" + query)
        let response: HTTPClientResponse
        do {
            response = try await KubeletEndpoint.client.execute(HTTPClientRequest(url: url), timeout: .hours(24))
        } catch {
            // Nothing listens (a simulated node): an empty log, as issue 17 asks.
            return Self.emptyLog
        }
        guard response.status == .ok else {
            let body = try await response.body.collect(upTo: 1 << 20)
            let headers = ["Content-Type": response.headers.first(name: "Content-Type") ?? "application/json"]
            return HTTPResponse(status: response.status, headers: .init(headers.map { ($0.key, $0.value) }), body: .bytes(Array(body.readableBytesView)))
        }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .stream { writer in
            for try await chunk in response.body { try await writer.write(Array(chunk.readableBytesView)) }
        })
    }

    private static let emptyLog = HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes([]))
}
