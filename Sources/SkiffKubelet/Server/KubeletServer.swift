import Metrics
import Foundation
import Logging
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffMetrics
import SkiffModels

/// The kubelet's own HTTP API: `GET /containerLogs/{namespace}/{pod}/{container}` (with
/// `follow`, `tailLines`, `timestamps`, `previous`, `sinceSeconds`), `/exec/{namespace}/{pod}/{container}`
/// (a WebSocket, see `ExecSession`), `/portForward/{namespace}/{pod}` (SPDY, see
/// `SPDYPortForwardSession`, or a WebSocket, see `PortForwardSession`), `/healthz`, `/metrics`, `/metrics/resource` (upstream's resource figures, see
/// `ResourceMetricsReport`; `?node=` picks one of several simulated nodes) and `/pods`
/// (the pods bound to this kubelet's nodes, a `PodList`). The API server's `pods/log`,
/// `pods/exec`, `pods/portforward` and `nodes/proxy` proxy here. Plain HTTP on loopback until the
/// kubelet gets TLS.
struct KubeletServer: Sendable {
    let host: KubeletHost
    let port: Int

    /// Serves until cancelled; `onBound` gets the bound port.
    func run(onBound: @escaping @Sendable (Int) async -> Void) async throws {
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: port), logger: host.logger) { request in
            do {
                return try await handle(request)
            } catch let error as APIError {
                return .error(error)
            } catch {
                return .error(.internalError("\(error)"))
            }
        }
        try await server.run(onBound: onBound)
    }

    private func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.path == "/healthz" { return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(Array("ok".utf8))) }
        if request.path == "/pods" || request.path == "/pods/" { return try pods() }
        if request.path == "/metrics/resource" { return try await resourceMetrics(request) }
        if request.path == "/metrics", let registry = MetricsSystem.factory as? PrometheusRegistry { return .metrics(registry) }
        if let stream = try StreamRequest(path: request.path, query: request.query) { return try await self.stream(stream, request) }
        let segments = request.path.split(separator: "/").map(String.init)
        if segments.count == 3, segments[0] == "portForward" { return try await portForward(namespace: segments[1], pod: segments[2], request) }
        guard request.method == .GET, let options = try ContainerLogRequest(path: request.path, query: request.query) else {
            return HTTPResponse(status: .notFound, headers: ["Content-Type": "text/plain"], body: .bytes(Array("404 page not found\n".utf8)))
        }
        return try await containerLogs(options)
    }

    /// Upstream's `/metrics/resource` of the node named by the query's `node` (Skiff's: a host may
    /// run several nodes), or of the host's only node.
    private func resourceMetrics(_ request: HTTPRequest) async throws -> HTTPResponse {
        let name = request.query["node"] ?? (host.nodes.count == 1 ? host.nodes.keys.first : nil)
        guard let name else { throw APIError.badRequest("this kubelet runs \(host.nodes.count) nodes: name one with ?node=") }
        guard let report = await host.resourceMetrics(node: name) else {
            throw APIError.notFound(GroupResource(group: "", resource: "nodes"), name: name)
        }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: .bytes(Array(report.text.utf8)))
    }

    /// The pods bound to this kubelet's nodes, as upstream's kubelet lists them.
    private func pods() throws -> HTTPResponse {
        let bound = host.podInformer.indexer.list().filter { pod in pod.spec?.nodeName.map { host.nodes[$0] != nil } ?? false }
        let items = try JSONValue(parsing: Array(JSONEncoder().encode(bound)))
        return .json(["kind": "PodList", "apiVersion": "v1", "metadata": [:], "items": items])
    }

    /// Exec into or attach to a running container over a WebSocket. The container is looked up
    /// first: kubectl retries a refused WebSocket upgrade with SPDY, and the second answer is the
    /// one it shows (`container not found ("c")`, not that SPDY is not spoken here).
    private func stream(_ stream: StreamRequest, _ request: HTTPRequest) async throws -> HTTPResponse {
        let (runtime, containerID) = try await runningContainer(namespace: stream.namespace, pod: stream.pod, container: stream.container)
        let accepted = try Self.handshake(request, supported: RemoteCommandProtocol.supported, what: stream.kind.rawValue)
        let upgrade = ExecSession.upgrade(stream) { streams in
            stream.kind == .exec ? try await runtime.execStreaming(containerID, streams) : try await runtime.attach(containerID, streams)
        }
        return HTTPResponse(status: .switchingProtocols, headers: accepted.responseHeaders, body: .upgrade(upgrade))
    }

    /// Port-forward into the pod: SPDY/3.1 on a raw `Upgrade: SPDY/3.1` connection or tunnelled
    /// in a WebSocket (kubectl), or the WebSocket channel protocol (`v4.channel.k8s.io`, with the
    /// ports in the query). Connections go through the runtime's own port-forward where it has one
    /// (CRI), else to the pod's IP.
    private func portForward(namespace: String, pod name: String, _ request: HTTPRequest) async throws -> HTTPResponse {
        let spdy = request.headers["Upgrade"].contains { $0.lowercased().hasPrefix("spdy/3.1") }
        let accepted: WebSocketHandshake? = try spdy
            ? nil : Self.handshake(request, supported: PortForwardSession.supported + [SPDYPortForwardSession.tunnelSubprotocol], what: "port-forward")
        if spdy, !request.headers["X-Stream-Protocol-Version"].contains(SPDYPortForwardSession.streamProtocol) {
            throw APIError(code: 403, reason: .forbidden, message: "unable to upgrade: unable to negotiate protocol: client supports "
                + "\(request.headers["X-Stream-Protocol-Version"]), server accepts [\(SPDYPortForwardSession.streamProtocol)]")
        }
        let ports = try accepted?.subprotocol == PortForwardSession.supported[0] ? PortForwardSession.ports(request.query) : []
        guard let pod = host.podInformer.indexer.get(key: "\(namespace)/\(name)"), let nodeName = pod.spec?.nodeName,
            let runtime = host.nodes[nodeName]?.runtime
        else {
            throw APIError.notFound(GroupResource(group: "", resource: "pods"), name: name)
        }
        guard let podIP = pod.status?.podIP, !podIP.isEmpty, pod.status?.phase == "Running" else {
            throw APIError.badRequest("pod \(name) is not running")
        }
        let uid = pod.metadata?.uid ?? ""
        let dial: PodPortDialer = { port in
            if let connection = try await runtime.portForward(podUID: uid, port: port) { return connection }
            return try await PodPortConnection.tcp(host: podIP, port: port)
        }
        let session = SPDYPortForwardSession(podName: name, podUID: uid, dial: dial)
        guard let accepted else {
            let headers: HTTPHeaders = ["Connection": "Upgrade", "Upgrade": "SPDY/3.1", "X-Stream-Protocol-Version": SPDYPortForwardSession.streamProtocol]
            return HTTPResponse(status: .switchingProtocols, headers: headers, body: .upgrade(session.rawUpgrade()))
        }
        let upgrade = accepted.subprotocol == SPDYPortForwardSession.tunnelSubprotocol
            ? session.tunnelUpgrade() : PortForwardSession.upgrade(ports: ports, dial: dial)
        return HTTPResponse(status: .switchingProtocols, headers: accepted.responseHeaders, body: .upgrade(upgrade))
    }

    /// The accepted WebSocket handshake of `request`, or upstream's 400 for another request.
    private static func handshake(_ request: HTTPRequest, supported: [String], what: String) throws -> WebSocketHandshake {
        guard let handshake = WebSocketHandshake.negotiate(request.headers, supported: supported) else {
            throw APIError.badRequest("\(what) needs a WebSocket upgrade (\(supported.joined(separator: ", ")))")
        }
        switch handshake {
        case .success(let value): return value
        case .failure(let error): throw APIError.badRequest(error.message)
        }
    }

    /// The runtime and runtime ID of a pod's running container, from the pod's reported status.
    private func runningContainer(namespace: String, pod name: String, container: String) async throws -> (any ContainerRuntime, String) {
        guard let pod = host.podInformer.indexer.get(key: "\(namespace)/\(name)"), let nodeName = pod.spec?.nodeName,
            let runtime = host.nodes[nodeName]?.runtime
        else { throw APIError.notFound(GroupResource(group: "", resource: "pods"), name: name) }
        if let status = (pod.status?.containerStatuses ?? []).first(where: { $0.name == container }), status.state?.running != nil,
            let id = status.containerID.map(PodLifecycle.runtimeID)
        {
            return (runtime, id)
        }
        // The pod cache may not hold yet the status this kubelet has just written (`kubectl run -it`
        // attaches as soon as it sees the pod running): the runtime knows the container.
        if let uid = pod.metadata?.uid, let sandbox = await runtime.existingSandboxes().first(where: { $0.podUID == uid }),
            let newest = sandbox.containers.filter({ $0.name == container }).max(by: { $0.attempt < $1.attempt }),
            (try? await runtime.containerStatus(newest.id))?.state == .running
        {
            return (runtime, newest.id)
        }
        throw APIError(code: 404, reason: .notFound, message: "container not found (\"\(container)\")")
    }

    private func containerLogs(_ options: ContainerLogRequest) async throws -> HTTPResponse {
        let key = "\(options.namespace)/\(options.pod)"
        guard let pod = host.podInformer.indexer.get(key: key), let uid = pod.metadata?.uid, let nodeName = pod.spec?.nodeName,
            let runtime = host.nodes[nodeName]?.runtime
        else { throw APIError.notFound(GroupResource(group: "", resource: "pods"), name: options.pod) }
        let files = await runtime.logFiles(podNamespace: options.namespace, podName: options.pod, podUID: uid, container: options.container)
        let file: String?
        if options.previous {
            guard files.count >= 2 else {
                throw APIError.badRequest("previous terminated container \"\(options.container)\" in pod \"\(options.pod)\" not found")
            }
            file = files[files.count - 2]
        } else {
            file = files.last
        }
        let now = host.clock.now
        let podInformer = host.podInformer
        let follow = options.follow && !options.previous
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .stream { writer in
            guard let file else { return }
            var lines: [String] = []
            var records = 0
            for try await record in CRILogReader(path: file).lines(follow: nil) {
                records += 1
                if let line = options.render(record, now: now) { lines.append(line) }
            }
            if let tail = options.tailLines { lines = Array(lines.suffix(Int(max(tail, 0)))) }
            if !lines.isEmpty { try await writer.write(Array(lines.joined().utf8)) }
            guard follow else { return }
            let running: @Sendable () async -> Bool = {
                Self.isRunning(podInformer.indexer.get(key: key), uid: uid, container: options.container)
            }
            // Read again from the start, skipping what was sent, then tail while the container runs.
            var seen = 0
            for try await record in CRILogReader(path: file).lines(follow: running) {
                seen += 1
                guard seen > records, let line = options.render(record, now: now) else { continue }
                try await writer.write(Array(line.utf8))
            }
        })
    }

    /// Whether the pod (still the one with `uid`) reports `container` running.
    static func isRunning(_ pod: CoreV1.Pod?, uid: String, container: String) -> Bool {
        guard let pod, pod.metadata?.uid == uid else { return false }
        return (pod.status?.containerStatuses ?? []).contains { $0.name == container && $0.state?.running != nil }
    }
}
