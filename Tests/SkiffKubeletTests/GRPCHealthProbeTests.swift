import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import Synchronization
import Testing

@testable import SkiffKubelet

/// `grpc` probes against a real gRPC server on loopback answering the health protocol. The
/// probes that reach a server get 60 s: a loaded full run took longer than 5 s to connect.
@Suite(.timeLimit(.minutes(2))) struct GRPCHealthProbeTests {
    /// Answers `Check` with the status set for the service asked about (`SERVICE_UNKNOWN` for others).
    struct HealthService: RegistrableRPCService {
        let statuses: [String: Grpc_Health_V1_HealthCheckResponse.ServingStatus]

        func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
            let statuses = self.statuses
            router.registerHandler(
                forMethod: MethodDescriptor(fullyQualifiedService: "grpc.health.v1.Health", method: "Check"),
                deserializer: ProtobufDeserializer<Grpc_Health_V1_HealthCheckRequest>(),
                serializer: ProtobufSerializer<Grpc_Health_V1_HealthCheckResponse>()
            ) { request, _ in
                var asked = ""
                for try await message in request.messages { asked = message.service }
                var response = Grpc_Health_V1_HealthCheckResponse()
                response.status = statuses[asked] ?? .serviceUnknown
                return StreamingServerResponse(single: ServerResponse(message: response))
            }
        }
    }

    /// Runs `body` with the port of a server offering `services`.
    private func withServer(_ services: [any RegistrableRPCService], _ body: @Sendable (Int) async throws -> Void) async throws {
        let transport = HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext)
        let server = GRPCServer(transport: transport, services: services)
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await server.serve() }
            let port = try #require(try await transport.listeningAddress.ipv4?.port)
            try await body(port)
            server.beginGracefulShutdown()
        }
    }

    @Test func servingSucceedsAndOtherStatusesFailWithUpstreamsMessage() async throws {
        try await withServer([HealthService(statuses: ["": .serving, "db": .notServing])]) { port in
            #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "", timeout: .seconds(60)) == nil)
            #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "db", timeout: .seconds(60))
                == "service unhealthy (responded with \"NOT_SERVING\")")
            #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "cache", timeout: .seconds(60))
                == "service unhealthy (responded with \"SERVICE_UNKNOWN\")")
        }
    }

    @Test func aServerWithoutTheHealthProtocolSaysSo() async throws {
        try await withServer([]) { port in
            let failure = try #require(await GRPCHealthProbe.check(host: "127.0.0.1", port: port, service: "", timeout: .seconds(60)))
            #expect(failure.hasPrefix("error: this server does not implement the grpc health protocol (grpc.health.v1.Health): "))
        }
    }

    @Test func nobodyListeningTimesOutAsUpstreamsBlockingDial() async throws {
        // A port just freed: nothing listens there.
        let port = Mutex(0)
        try await withServer([]) { listening in port.withLock { $0 = listening } }
        let freed = port.withLock { $0 }
        #expect(await GRPCHealthProbe.check(host: "127.0.0.1", port: freed, service: "", timeout: .seconds(1))
            == "timeout: failed to connect service \"127.0.0.1:\(freed)\" within 1s: context deadline exceeded")
    }
}
