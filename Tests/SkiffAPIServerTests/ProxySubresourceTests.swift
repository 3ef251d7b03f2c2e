import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffTesting
import Testing

/// `services/proxy`, `nodes/proxy` and `pods/proxy` against a backend on loopback that echoes
/// what it was sent, and the pieces they are made of.
@Suite struct ProxySubresourceTests {
    static let services = "/api/v1/namespaces/default/services"

    /// Runs `body` with an HTTP server on a free loopback port that answers `/redirect` with a
    /// 302 to `/login` and everything else with the method, target, forwarded URI, whether it saw
    /// credentials, and the body.
    static func withBackend(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), logger: InProcessCluster.quietLogger) { request in
            if request.path == "/redirect" { return HTTPResponse(status: .found, headers: ["Location": "/login"]) }
            let seen = [
                "\(request.method.rawValue) \(request.uri)", request.headers.first(name: "X-Forwarded-Uri") ?? "",
                request.headers.contains(name: "Authorization") ? "credentials" : "no credentials", String(decoding: request.body, as: UTF8.self),
            ]
            return .text(seen.joined(separator: "\n"), status: .accepted)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            let (ports, bound) = AsyncStream<Int>.makeStream()
            group.addTask { try await server.run { bound.yield($0) } }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw APIServerHarness.ServerDidNotStart() }
            try await body(port)
            group.cancelAll()
        }
    }

    /// Service `web` (port 80 named `http`) whose endpoints are 127.0.0.1:`port`.
    static func createService(port: Int, on server: APIServerHarness) async throws {
        let service: JSONValue = [
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "web"],
            "spec": ["ports": [["name": "http", "port": 80, "targetPort": 8080]], "selector": ["app": "web"]],
        ]
        #expect(try await server.send(.POST, services, json: service).status == 201)
        let endpoints: JSONValue = [
            "apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "web"],
            "subsets": [["addresses": [["ip": "127.0.0.1"]], "ports": [["name": "http", "port": .int(Int64(port))]]]],
        ]
        #expect(try await server.send(.POST, "/api/v1/namespaces/default/endpoints", json: endpoints).status == 201)
    }

    @Test func serviceProxyReachesAnEndpointWithTheMethodPathQueryAndBody() async throws {
        try await Self.withBackend { port in
            try await APIServerHarness.with(.router) { server in
                try await Self.createService(port: port, on: server)
                let get = try await server.send(.GET, "\(Self.services)/web:80/proxy/a/b/?x=1%202", headers: ["Authorization": "Bearer secret"])
                #expect(get.status == 202)
                #expect(get.text == "GET /a/b/?x=1%202\n\(Self.services)/web:80/proxy/a/b/\nno credentials\n")
                let post = try await server.send(.POST, "\(Self.services)/http:web:http/proxy/x", json: ["hello": "world"])
                #expect(post.text == "POST /x\n\(Self.services)/http:web:http/proxy/x\nno credentials\n{\"hello\":\"world\"}")
            }
        }
    }

    @Test func redirectsStayBehindTheProxy() async throws {
        try await Self.withBackend { port in
            try await APIServerHarness.with(.router) { server in
                try await Self.createService(port: port, on: server)
                let redirect = try await server.send(.GET, "\(Self.services)/web:http/proxy/redirect")
                #expect(redirect.status == 302)
                #expect(redirect.headers.first(name: "Location") == "\(Self.services)/web:http/proxy/login")
                let root = try await server.send(.GET, "\(Self.services)/web:http/proxy?q=1")
                #expect(root.status == 301)
                #expect(root.headers.first(name: "Location") == "\(Self.services)/web:http/proxy/?q=1")
            }
        }
    }

    @Test func serviceProxyErrorsAreUpstreams() async throws {
        try await APIServerHarness.with(.router) { server in
            try await Self.createService(port: 1, on: server)
            let wrongPort = try await server.send(.GET, "\(Self.services)/web:81/proxy/")
            #expect(wrongPort.status == 503)
            #expect(try wrongPort.json()[path: "message"] == "no service port 81 found for service \"web\"")
            let empty: JSONValue = ["apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "web"]]
            var endpoints = try await server.send(.GET, "/api/v1/namespaces/default/endpoints/web").json()
            endpoints["subsets"] = empty["subsets"]
            #expect(try await server.send(.PUT, "/api/v1/namespaces/default/endpoints/web", json: endpoints).status == 200)
            let none = try await server.send(.GET, "\(Self.services)/web:80/proxy/")
            #expect(none.status == 503)
            #expect(try none.json()[path: "reason"] == "ServiceUnavailable")
            #expect(try none.json()[path: "message"] == "no endpoints available for service \"web\"")
            let invalid = try await server.send(.GET, "\(Self.services)/ftp:web:80/proxy/")
            #expect(invalid.status == 400)
            #expect(try invalid.json()[path: "message"] == "invalid service request \"ftp:web:80\"")
            #expect(try await server.send(.GET, "\(Self.services)/missing/proxy/").status == 404)
        }
    }

    @Test func nodeProxyReachesTheKubeletAndPodProxyRefusesLoopback() async throws {
        try await Self.withBackend { port in
            try await APIServerHarness.with(.router) { server in
                let node: JSONValue = ["apiVersion": "v1", "kind": "Node", "metadata": ["name": "n1"]]
                var created = try await server.send(.POST, "/api/v1/nodes", json: node).json()
                created["status"] = ["daemonEndpoints": ["kubeletEndpoint": ["Port": .int(Int64(port))]]]
                #expect(try await server.send(.PUT, "/api/v1/nodes/n1/status", json: created).status == 200)
                let healthz = try await server.send(.GET, "/api/v1/nodes/n1/proxy/healthz")
                #expect(healthz.text.hasPrefix("GET /healthz\n/api/v1/nodes/n1/proxy/healthz\n"))
                try await EvictionTests.createPod("web", on: server)
                var pod = try await server.send(.GET, "/api/v1/namespaces/default/pods/web").json()
                pod[path: "status", "podIP"] = "127.0.0.1"
                #expect(try await server.send(.PUT, "/api/v1/namespaces/default/pods/web/status", json: pod).status == 200)
                let loopback = try await server.send(.GET, "/api/v1/namespaces/default/pods/web:8080/proxy/")
                #expect(loopback.status == 400)
                #expect(try loopback.json()[path: "message"] == "address not allowed")
            }
        }
    }

    @Test func schemeNamePort() {
        let split = { (id: String) in SchemeNamePort(id).map { [$0.scheme, $0.name, $0.port] } }
        #expect(split("web") == ["", "web", ""])
        #expect(split("web:80") == ["", "web", "80"])
        #expect(split("https:web:metrics") == ["https", "web", "metrics"])
        #expect(split("https:web:") == ["https", "web", ""])
        for invalid in ["", ":80", "ftp:web:80", "a:b:c:d"] { #expect(split(invalid) == nil, "\(invalid)") }
    }

    @Test func requestInfoNamesTheProxySubresource() {
        let resolve = { (method: HTTPMethod, uri: String) in RequestInfoResolver().resolve(HTTPRequest(method: method, uri: uri, headers: [:], body: [])) }
        let get = resolve(.GET, "\(Self.services)/https:web:80/proxy/a/b")
        #expect(get.verb == "get" && get.resource == "services" && get.name == "https:web:80" && get.subresource == "proxy" && get.isLongRunning)
        let post = resolve(.POST, "/api/v1/nodes/n1/proxy/")
        #expect(post.verb == "create" && post.resource == "nodes" && post.name == "n1" && post.subresource == "proxy")
    }

    @Test func locationRewrite() {
        let rewrite = ProxyLocationRewrite(prefix: "/api/v1/nodes/n1/proxy", backendHost: "10.0.0.5:8080", requestHost: "api:6443")
        #expect(rewrite.rewrite("/login?next=/") == "/api/v1/nodes/n1/proxy/login?next=/")
        #expect(rewrite.rewrite("http://10.0.0.5:8080/a/") == "/api/v1/nodes/n1/proxy/a/")
        #expect(rewrite.rewrite("https://api:6443/b") == "https://api:6443/api/v1/nodes/n1/proxy/b")
        #expect(rewrite.rewrite("/api/v1/nodes/n1/proxy/c") == "/api/v1/nodes/n1/proxy/c")
        #expect(rewrite.rewrite("http://example.com/d") == "http://example.com/d")
        #expect(rewrite.rewrite("relative/e") == "relative/e")
    }
}
