import AsyncHTTPClient
import NIOCore
import NIOPosix
import SkiffModels

/// Runs one probe of a container once, as upstream's prober does: `exec` in the container (exit
/// code 0 succeeds), `httpGet` to the pod's IP (a status from 200 to 399 succeeds), `tcpSocket` (a
/// connection succeeds) and `grpc` (`GRPCHealthProbe`: the health protocol answers `SERVING`),
/// each bounded by `timeoutSeconds`.
struct ProbeRunner: Sendable {
    /// How a probe went; `message` says why it failed, as the `Unhealthy` event shows it.
    struct Outcome: Sendable, Hashable {
        var success: Bool
        var message: String
    }

    let runtime: any ContainerRuntime

    /// Runs `probe` against `containerID` of `container`, reachable at `podIP`.
    func run(_ probe: CoreV1.Probe, containerID: String, container: CoreV1.Container, podIP: String) async -> Outcome {
        let timeout = Int64(max(probe.timeoutSeconds ?? 1, 1))
        if let command = probe.exec?.command {
            let result = await Self.bounded(.seconds(timeout)) { try await runtime.exec(containerID, command: command) }
            switch result {
            case .none: return Outcome(success: false, message: "command \(Self.quoted(command)) timed out")
            case .some(.failure(let error)): return Outcome(success: false, message: "\(error)")
            case .some(.success(let exec)): return Outcome(success: exec.exitCode == 0, message: exec.stdout + exec.stderr)
            }
        }
        if let action = probe.httpGet {
            guard let request = Self.request(action, container: container, podIP: podIP, agent: "kube-probe") else {
                return Outcome(success: false, message: "unknown port \(action.port)")
            }
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(timeout))
                let code = Int(response.status.code)
                guard (200..<400).contains(code) else { return Outcome(success: false, message: "HTTP probe failed with statuscode: \(code)") }
                return Outcome(success: true, message: "")
            } catch {
                return Outcome(success: false, message: "Get \"\(request.url)\": \(error)")
            }
        }
        if let action = probe.tcpSocket {
            guard let port = Self.port(action.port, in: container) else { return Outcome(success: false, message: "unknown port \(action.port)") }
            let host = action.host.flatMap { $0.isEmpty ? nil : $0 } ?? podIP
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connectTimeout(.seconds(timeout)).connect(host: host, port: port).get()
                channel.close(promise: nil)
                return Outcome(success: true, message: "")
            } catch {
                return Outcome(success: false, message: "dial tcp \(host):\(port): \(error)")
            }
        }
        if let action = probe.grpc {
            let failure = await GRPCHealthProbe.check(host: podIP, port: Int(action.port), service: action.service ?? "", timeout: .seconds(timeout))
            return Outcome(success: failure == nil, message: failure ?? "")
        }
        return Outcome(success: false, message: "the probe has no exec, httpGet, tcpSocket or grpc handler")
    }

    /// The request of an `httpGet` action (a probe's or a lifecycle hook's) to `podIP` unless the
    /// action names a host, with upstream's `User-Agent` (`kube-probe/1.32`,
    /// `kube-lifecycle/1.32`) unless the action sets one; nil when the port is unknown.
    static func request(_ action: CoreV1.HTTPGetAction, container: CoreV1.Container, podIP: String, agent: String) -> HTTPClientRequest? {
        guard let port = port(action.port, in: container) else { return nil }
        let host = action.host.flatMap { $0.isEmpty ? nil : $0 } ?? podIP
        let path = action.path.map { $0.hasPrefix("/") ? $0 : "/" + $0 } ?? "/"
        var request = HTTPClientRequest(url: "\((action.scheme ?? "HTTP").lowercased())://\(host):\(port)\(path)")
        request.headers.add(name: "User-Agent", value: "\(agent)/1.32")
        for header in action.httpHeaders ?? [] { request.headers.replaceOrAdd(name: header.name, value: header.value) }
        return request
    }

    /// A port by number or by the name of one of the container's ports.
    static func port(_ port: IntOrString, in container: CoreV1.Container) -> Int? {
        switch port {
        case .int(let number): return number
        case .string(let name): return (container.ports ?? []).first { $0.name == name }.map { Int($0.containerPort) } ?? Int(name)
        }
    }

    /// `operation`'s result, or nil when it took longer than `limit` (it is then cancelled).
    static func bounded<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        await withTaskGroup(of: Result<T, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await operation()) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    private static func quoted(_ command: [String]) -> String {
        "[" + command.joined(separator: " ") + "]"
    }
}
