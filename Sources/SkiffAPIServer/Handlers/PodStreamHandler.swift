import Foundation
import SkiffAPI
import SkiffRegistry

/// `pods/exec`, `pods/attach` and `pods/portforward`: checks the pod (and container), then
/// proxies the WebSocket upgrade to the pod's kubelet (`/exec/{namespace}/{pod}/{container}` with
/// upstream's query `command`, `input`, `output`, `error`, `tty`; `/portForward/{namespace}/{pod}`
/// with `ports`), as upstream's streaming REST storage does.
struct PodStreamHandler: Sendable {
    let pods: ResourceStore
    let nodes: ResourceStore
    let namespace: String?
    let name: String
    /// `exec`, `attach` or `portforward`.
    let subresource: String
    let request: HTTPRequest

    func handle() async throws -> HTTPResponse {
        guard request.method == .GET || request.method == .POST else {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        let pod = try await pods.get(namespace: namespace, name: name, resourceVersion: nil)
        if let phase = pod[path: "status", "phase"]?.stringValue, phase == "Succeeded" || phase == "Failed" {
            let action = subresource == "exec" ? "exec into" : "attach to"
            throw APIError.badRequest("cannot \(action) a container in a completed pod; current phase is \(phase)")
        }
        guard let nodeName = pod[path: "spec", "nodeName"]?.stringValue, !nodeName.isEmpty else {
            throw APIError.badRequest("pod \(name) does not have a host assigned")
        }
        guard let port = await KubeletEndpoint.port(ofNode: nodeName, nodes: nodes) else {
            throw APIError(code: 500, reason: .internalError, message: "error dialing backend: node \(nodeName) has no kubelet endpoint")
        }
        let target: String
        if subresource == "portforward" {
            let ports = request.query.all("ports").map { "ports=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }
            target = "/portForward/\(namespace ?? "")/\(name)" + (ports.isEmpty ? "" : "?" + ports.joined(separator: "&"))
        } else {
            let container = try PodContainerChoice.container(of: pod, podName: name, requested: request.query["container"])
            var query = request.query.all("command").map { "command=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) }
            for (option, kubeletOption) in [("stdin", "input"), ("stdout", "output"), ("stderr", "error"), ("tty", "tty")] {
                if try request.query.bool(option) == true { query.append("\(kubeletOption)=1") }
            }
            target = "/\(subresource)/\(namespace ?? "")/\(name)/\(container)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
        return try await UpgradeProxy(host: KubeletEndpoint.host, port: port).forward(target: target, headers: UpgradeProxy.kubeletUpgradeHeaders(request.headers))
    }
}
