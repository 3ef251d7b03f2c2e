import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffIngress

/// Requests routed through Ingresses to their backends' endpoints.
struct RouteTableTests {
    static func backend(_ service: String, port: JSONValue = ["number": 80]) -> JSONValue { ["service": ["name": .string(service), "port": port]] }

    static func ingress(_ name: String, namespace: String = "demo", created: String = "2026-01-01T00:00:00Z", _ spec: JSONValue) -> NetworkingV1.Ingress {
        ([
            "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": ["name": .string(name), "namespace": .string(namespace), "creationTimestamp": .string(created)], "spec": spec,
        ] as JSONValue).typed()
    }

    static func path(_ path: String, _ type: String = "Prefix", to service: String) -> JSONValue {
        ["path": .string(path), "pathType": .string(type), "backend": backend(service)]
    }

    let table = RouteTable(ingresses: [
        ingress("web", [
            "rules": [
                ["host": "web.example", "http": ["paths": [path("/", to: "front"), path("/api", to: "api"), path("/api/v1", "Exact", to: "v1")]]],
                ["host": "*.example", "http": ["paths": [path("/", to: "wild")]]],
            ],
        ]),
        ingress("fallback", namespace: "other", created: "2026-02-01T00:00:00Z", [
            "defaultBackend": backend("default"), "rules": [["http": ["paths": [path("/static", to: "static")]]]],
        ]),
    ])

    func service(_ host: String, _ path: String) -> String? { table.route(host: host, path: path)?.backend.service?.name }

    @Test func theMostSpecificMatchWins() {
        #expect(service("web.example", "/") == "front")
        #expect(service("web.example", "/api/users") == "api")
        #expect(service("web.example", "/api/v1") == "v1")
        #expect(service("web.example", "/api/v1/x") == "api")
        #expect(service("web.example", "/apis") == "front")
        #expect(service("other.example", "/x") == "wild")
        // The host's own rules first, even when a rule without a host has a longer path.
        #expect(service("web.example", "/static") == "front")
        #expect(service("elsewhere", "/static/app.js") == "static")
        #expect(table.route(host: "elsewhere", path: "/static")?.namespace == "other")
    }

    @Test func unmatchedRequestsGoToTheDefaultBackendOrNowhere() {
        #expect(service("unknown.host", "/") == "default")
        let withoutDefault = RouteTable(ingresses: [Self.ingress("web", ["rules": [["host": "web.example", "http": ["paths": [Self.path("/", to: "front")]]]]])])
        #expect(withoutDefault.route(host: "unknown.host", path: "/") == nil)
    }

    @Test func decisionsFromTheServicesEndpoints() {
        let service: CoreV1.Service = ([
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": "front", "namespace": "demo"],
            "spec": ["ports": [["name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"]]],
        ] as JSONValue).typed()
        let slice: DiscoveryV1.EndpointSlice = ([
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": ["name": "front-x", "namespace": "demo", "labels": ["kubernetes.io/service-name": "front"]],
            "ports": [["name": "http", "port": 8080, "protocol": "TCP"]],
            "endpoints": [
                ["addresses": ["10.0.0.2"], "conditions": ["ready": true]], ["addresses": ["10.0.0.1"], "conditions": ["ready": true]],
                ["addresses": ["10.0.0.3"], "conditions": ["ready": false]],
            ],
        ] as JSONValue).typed()
        let route = table.route(host: "web.example", path: "/")
        #expect(RoutingDecision.make(route: route, service: service, slices: [slice]) == .forward(["10.0.0.1:8080", "10.0.0.2:8080"]))
        #expect(RoutingDecision.make(route: route, service: service, slices: []) == .unavailable)
        #expect(RoutingDecision.make(route: route, service: nil, slices: [slice]) == .unavailable)
        #expect(RoutingDecision.make(route: nil, service: service, slices: [slice]) == .notFound)
        // A backend naming the service port.
        var named = route
        named?.backend = NetworkingV1.IngressBackend(service: .init(name: "front", port: .init(name: "http")))
        #expect(RoutingDecision.make(route: named, service: service, slices: [slice]) == .forward(["10.0.0.1:8080", "10.0.0.2:8080"]))
    }

    @Test func membershipFollowsTheClassNameTheAnnotationOrTheDefault() {
        let ours = NetworkingV1.IngressClass(
            metadata: ObjectMeta(name: "skiff", annotations: [IngressClassMembership.defaultClassAnnotation: "true"]))
        let membership = IngressClassMembership(className: "skiff", classes: [ours])
        #expect(membership.serves(Self.ingress("a", ["ingressClassName": "skiff"])))
        #expect(!membership.serves(Self.ingress("b", ["ingressClassName": "nginx"])))
        #expect(membership.serves(Self.ingress("c", [:])))
        #expect(!IngressClassMembership(className: "skiff", classes: []).serves(Self.ingress("c", [:])))
    }
}
