import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// Endpoints follow the selected pods: ready and not-ready addresses, named target ports,
/// headless services and hostnames, services without a selector, deleted services.
struct EndpointsControllerTests {
    typealias F = EndpointsFixtures

    @Test func readyAndNotReadyPodsMoveBetweenAddressesWithNamedPorts() async throws {
        try await InProcessCluster.withControllers(controllers: [.endpoints]) { cluster in
            let ports = [F.servicePort("http", 80, target: "web"), F.servicePort("metrics", 9090, target: 9100)]
            _ = try await cluster.resource(F.services, namespace: "default").create(F.service("web", selector: ["app": "web"], ports: ports))
            let named = [F.containerPort("web", 8080)]
            let a = try await F.createRunning(
                F.pod("a", labels: ["app": "web"], node: "n1", containerPorts: named), ip: "10.0.0.1", ready: true, in: cluster)
            let b = try await F.createRunning(F.pod("b", labels: ["app": "web"], containerPorts: named), ip: "10.0.0.2", ready: false, in: cluster)
            // No port named `web`: only the numbered target port reaches it.
            try await F.createRunning(F.pod("c", labels: ["app": "web"]), ip: "10.0.0.3", ready: true, in: cluster)
            // Not selected, and selected without an IP: neither appears.
            try await F.createRunning(F.pod("other", labels: ["app": "db"]), ip: "10.0.0.9", ready: true, in: cluster)
            _ = try await cluster.pods().create(F.pod("pending", labels: ["app": "web"]))

            let endpoints = cluster.resource(F.endpoints, namespace: "default")
            try await waitUntil("three addresses") {
                let subsets = try await endpoints.get("web")["subsets"]?.arrayValue ?? []
                return Set(subsets.flatMap { F.ips($0["addresses"]) + F.ips($0["notReadyAddresses"]) }) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
            }
            let object = try await endpoints.get("web")
            let subsets = object["subsets"]?.arrayValue ?? []
            // a and b serve both ports, c only metrics: two sets of addresses, one subset each.
            #expect(subsets.count == 2)
            let http = subsets.first { $0["ports"]?.arrayValue?.first?["name"] == "http" }
            #expect(F.ips(http?["addresses"]) == ["10.0.0.1"])
            #expect(F.ips(http?["notReadyAddresses"]) == ["10.0.0.2"])
            #expect(http?["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
            let address = http?["addresses"]?.arrayValue?.first
            #expect(address?["nodeName"] == "n1")
            #expect(address?["targetRef"] == ["kind": "Pod", "namespace": "default", "name": "a", "uid": .string(a.uid ?? "")])
            let metrics = subsets.first { $0["ports"]?.arrayValue?.first?["name"] == "metrics" }
            #expect(F.ips(metrics?["addresses"]) == ["10.0.0.1", "10.0.0.3"])
            #expect(F.ips(metrics?["notReadyAddresses"]) == ["10.0.0.2"])
            #expect(metrics?["ports"] == [["name": "metrics", "port": 9100, "protocol": "TCP"]])
            #expect(object.annotations["endpoints.kubernetes.io/last-change-trigger-time"] != nil)
            #expect(object.labels["service.kubernetes.io/headless"] == nil)

            // b becomes ready, a stops being ready.
            try await F.setReady(b, ip: "10.0.0.2", ready: true, in: cluster)
            try await F.setReady(a, ip: "10.0.0.1", ready: false, in: cluster)
            try await waitUntil("a and b swapped") {
                let subsets = try await endpoints.get("web")["subsets"]?.arrayValue ?? []
                let http = subsets.first { $0["ports"]?.arrayValue?.first?["name"] == "http" }
                return F.ips(http?["addresses"]) == ["10.0.0.2"] && F.ips(http?["notReadyAddresses"]) == ["10.0.0.1"]
            }

            // publishNotReadyAddresses lists every address as ready.
            _ = try await cluster.resource(F.services, namespace: "default").patch(
                "web", type: .merge, patch: ["spec": ["publishNotReadyAddresses": true]])
            try await waitUntil("every address ready") {
                let subsets = try await endpoints.get("web")["subsets"]?.arrayValue ?? []
                return subsets.allSatisfy { $0["notReadyAddresses"] == nil }
                    && Set(subsets.flatMap { F.ips($0["addresses"]) }) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
            }

            // A deleted service takes its Endpoints along.
            try await cluster.resource(F.services, namespace: "default").delete("web")
            try await waitUntil("the endpoints deleted") { try await !InProcessCluster.exists("web", in: endpoints) }
        }
    }

    @Test func headlessServicesHostnamesAndServicesWithoutSelector() async throws {
        try await InProcessCluster.withControllers(controllers: [.endpoints]) { cluster in
            let services = cluster.resource(F.services, namespace: "default")
            let endpoints = cluster.resource(F.endpoints, namespace: "default")
            _ = try await services.create(F.service("db", selector: ["app": "db"], ports: [], headless: true))
            var pod = F.pod("db-0", labels: ["app": "db"])
            pod[path: "spec", "hostname"] = "db-0"
            pod[path: "spec", "subdomain"] = "db"
            try await F.createRunning(pod, ip: "10.0.1.1", ready: true, in: cluster)
            try await waitUntil("the headless endpoints") {
                let subsets = try await endpoints.get("db")["subsets"]?.arrayValue ?? []
                return subsets.count == 1 && F.ips(subsets[0]["addresses"]) == ["10.0.1.1"]
            }
            let object = try await endpoints.get("db")
            #expect(object.labels["service.kubernetes.io/headless"] == "")
            let subset = object["subsets"]?.arrayValue?.first
            #expect(subset?["ports"] == nil)
            #expect(subset?[path: "addresses"]?.arrayValue?.first?["hostname"] == "db-0")

            // Endpoints written by hand before their service without a selector are left alone.
            let manual: JSONValue = [
                "apiVersion": "v1", "kind": "Endpoints", "metadata": ["name": "external", "namespace": "default"],
                "subsets": [["addresses": [["ip": "192.168.1.1"]], "ports": [["name": "http", "port": 80]]]],
            ]
            _ = try await endpoints.create(manual)
            _ = try await services.create(F.service("external", selector: nil, ports: [F.servicePort("http", 80, target: 80)]))
            // The db endpoints change after the manual ones were written; the manual ones stay.
            try await F.createRunning(F.pod("db-1", labels: ["app": "db"]), ip: "10.0.1.2", ready: true, in: cluster)
            try await waitUntil("db-1 listed") {
                let subsets = try await endpoints.get("db")["subsets"]?.arrayValue ?? []
                return Set(subsets.flatMap { F.ips($0["addresses"]) }) == ["10.0.1.1", "10.0.1.2"]
            }
            #expect(F.ips(try await endpoints.get("external")["subsets"]?.arrayValue?.first?["addresses"]) == ["192.168.1.1"])
        }
    }
}
