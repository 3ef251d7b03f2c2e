import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf

/// A `grpc` probe as upstream's prober runs it: the unary `Check` of gRPC's health checking
/// protocol (`grpc.health.v1.Health`) for the probe's `service` (default empty: the server as a
/// whole), over plaintext HTTP/2 to the pod's IP, connection and call within `timeoutSeconds`;
/// only `SERVING` succeeds. Failures are worded as upstream's.
enum GRPCHealthProbe {
    /// Checks `service` at `host`:`port`; nil when it is serving, else why not.
    static func check(host: String, port: Int, service: String, timeout: Duration) async -> String? {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let within = "\(timeout.components.seconds)s"
        do {
            let target: any ResolvableTarget = host.contains(":") ? .ipv6(address: host, port: port) : .ipv4(address: host, port: port)
            let transport = try HTTP2ClientTransport.Posix(target: target, transportSecurity: .plaintext)
            var options = CallOptions.defaults
            options.timeout = timeout
            // Upstream dials blocking: an unreachable server is retried until the timeout.
            options.waitForReady = true
            var request = Grpc_Health_V1_HealthCheckRequest()
            request.service = service
            let response = try await withGRPCClient(transport: transport) { client in
                try await Grpc_Health_V1_Health.Client(wrapping: client).check(request, metadata: ["user-agent": "kube-probe/1.32"], options: options)
            }
            guard response.status == .serving else { return "service unhealthy (responded with \"\(statusName(response.status))\")" }
            return nil
        } catch let error as RPCError {
            switch error.code {
            case .unimplemented:
                return "error: this server does not implement the grpc health protocol (grpc.health.v1.Health): \(error.message)"
            case .deadlineExceeded:
                return "timeout: failed to connect service \"\(address)\" within \(within): context deadline exceeded"
            default:
                return "error: health rpc probe failed: \(error)"
            }
        } catch {
            return "error: failed to connect service at \"\(address)\": \(error)"
        }
    }

    /// The status's name in the protocol (`NOT_SERVING`, …), as upstream's message quotes it.
    private static func statusName(_ status: Grpc_Health_V1_HealthCheckResponse.ServingStatus) -> String {
        switch status {
        case .unknown: "UNKNOWN"
        case .serving: "SERVING"
        case .notServing: "NOT_SERVING"
        case .serviceUnknown: "SERVICE_UNKNOWN"
        case .UNRECOGNIZED(let value): "\(value)"
        }
    }
}
