import MetricsTestKit
import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffRegistry
import SkiffTesting
import Synchronization
import Testing

/// Authenticates everyone as one user of the given groups.
struct FixedAuthenticator: Authenticator {
    var user: UserInfo

    func authenticate(_ request: HTTPRequest) async throws -> UserInfo? { user }
}

/// Denies writes to configmaps, allows the rest.
struct ReadOnlyConfigMaps: Authorizer {
    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        attributes.resource == "configmaps" && !attributes.isReadOnly ? AuthorizationDecision(.deny, reason: "configmaps are read-only here") : AuthorizationDecision(.allow)
    }
}

@Suite struct FilterTests {
    private static let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings"], "data": ["a": "b"]]
    private static let held: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "held"]]

    /// A server allowing one mutating request at a time (priority and fairness off), with a create of `held` waiting at the
    /// gate (so occupying the slot) while `body` runs; the create must end with 201.
    private static func withSlotTaken(_ transport: Transport, user: UserInfo?,
                                      _ body: @escaping @Sendable (APIServerHarness) async throws -> Void) async throws {
        let gate = GatePlugin()
        var options = APIServer.Options()
        if let user { options.authenticator = FixedAuthenticator(user: user) }
        options.maxMutatingRequestsInFlight = 1
        options.enablePriorityAndFairness = false
        options.admissionPlugins = { _ in AdmissionChain(mutating: [gate]) }
        try await APIServerHarness.with(transport, options: options) { server in
            try await withThrowingTaskGroup(of: TestResponse.self) { group in
                group.addTask { try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.held) }
                try await waitUntil("the first create waits at the gate") { gate.arrived.load(ordering: .relaxed) == 1 }
                try await body(server)
                gate.release()
                #expect(try await group.next()?.status == 201)
            }
            // The slot is free again.
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "later"]]).status == 201)
        }
    }

    @Test(arguments: Transport.allCases)
    func requestsOverTheInFlightLimitGet429(_ transport: Transport) async throws {
        try await Self.withSlotTaken(transport, user: UserInfo(name: "jane", groups: [UserInfo.allAuthenticated])) { server in
            let refused = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.configMap)
            #expect(refused.status == 429)
            #expect(refused.headers.first(name: "Retry-After") == "1")
            #expect(refused.text == "Too many requests, please try again later.\n")
            // Reads have their own limit. (From the cache as it is: a consistent read can wait for the
            // cache's freshness, and answer 504 after 3 s on a machine this loaded.)
            let read = try await server.send(.GET, "/api/v1/namespaces/default/configmaps?resourceVersion=0")
            #expect(read.status == 200, "\(read.status): \(read.text)")
        }
    }

    @Test(arguments: Transport.allCases)
    func superusersAreNeverTurnedAway(_ transport: Transport) async throws {
        try await Self.withSlotTaken(transport, user: nil) { server async throws in
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.configMap).status == 201)
        }
    }

    @Test(arguments: Transport.allCases)
    func authenticationAndAuthorization(_ transport: Transport) async throws {
        var options = APIServer.Options()
        options.authenticator = FixedAuthenticator(user: UserInfo(name: "jane", groups: ["readers"]))
        options.authorizer = { _ in ReadOnlyConfigMaps() }
        try await APIServerHarness.with(transport, options: options) { server in
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/configmaps").status == 200)
            let denied = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.configMap)
            #expect(denied.status == 403)
            let status = try denied.json()
            #expect(status["reason"] == "Forbidden")
            #expect(status["message"] == #"configmaps is forbidden: User "jane" cannot create resource "configmaps" in API group "" in the namespace "default": configmaps are read-only here"#)
            let named = try await server.send(.DELETE, "/api/v1/namespaces/default/configmaps/settings")
            #expect(try named.json()["message"]?.stringValue?.hasPrefix(#"configmaps "settings" is forbidden: User "jane" cannot delete resource"#) == true)
        }
        var anonymous = APIServer.Options()
        anonymous.authenticator = NobodyAuthenticator()
        try await APIServerHarness.with(transport, options: anonymous) { server in
            let refused = try await server.send(.GET, "/api/v1/namespaces")
            #expect(refused.status == 401)
            #expect(try refused.json()["reason"] == "Unauthorized")
            #expect(try refused.json()["message"] == "Unauthorized")
        }
    }

    @Test(arguments: Transport.allCases)
    func requestMetricsAndAudit(_ transport: Transport) async throws {
        let metrics = TestMetrics()
        let audit = RecordingAuditSink()
        var options = APIServer.Options()
        options.metricsFactory = metrics
        options.auditSink = audit
        options.auditPolicy = AuditPolicy(rules: [AuditPolicy.Rule(level: .metadata)], omitStages: [.requestReceived])
        try await APIServerHarness.with(transport, options: options) { server async throws in
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/configmaps").status == 200)
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/configmaps/missing").status == 404)
            #expect(metrics.counterTotal(label: "apiserver_request_total", dimensions: [("verb", "LIST"), ("resource", "configmaps"), ("code", "200"), ("scope", "namespace")]) == 1)
            #expect(metrics.counterTotal(label: "apiserver_request_total", dimensions: [("verb", "GET"), ("resource", "configmaps"), ("code", "404"), ("scope", "resource")]) == 1)
            #expect(metrics.timers.contains { $0.label == "apiserver_request_duration_seconds" })
            let events = audit.events.withLock { $0 }
            #expect(events.map(\.responseCode) == [200, 404])
            #expect(events.last?.requestInfo.name == "missing")
            #expect(events.last?.user.name == "system:unsecured")
        }
    }
}

/// Vouches for nobody.
struct NobodyAuthenticator: Authenticator {
    func authenticate(_ request: HTTPRequest) async throws -> UserInfo? { nil }
}

/// Keeps every audit event.
final class RecordingAuditSink: AuditSink {
    let events = Mutex<[AuditEvent]>([])

    func record(_ event: AuditEvent) async { events.withLock { $0.append(event) } }
}
