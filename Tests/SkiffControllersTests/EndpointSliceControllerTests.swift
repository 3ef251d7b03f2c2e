import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// EndpointSlices follow the selected pods: 100 endpoints per slice, conditions, zones,
/// minimal updates, a placeholder for a service without endpoints.
struct EndpointSliceControllerTests {
    typealias F = EndpointsFixtures

    static func slices(of service: String, in cluster: InProcessCluster) async throws -> [JSONValue] {
        let options = ListOptions(labelSelector: "kubernetes.io/service-name=\(service)")
        return try await cluster.resource(F.endpointSlices, namespace: "default").list(options).items
    }

    @Test func twoHundredFiftyPodsMakeThreeSlicesUpdatedInPlace() async throws {
        try await InProcessCluster.withControllers(controllers: [.endpointSlice]) { cluster in
            try await F.createNode("n1", zone: "zone-a", in: cluster)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<250 {
                    group.addTask {
                        let pod = F.pod("web-\(index)", labels: ["app": "web"], node: "n1", containerPorts: [F.containerPort("web", 8080)])
                        try await F.createRunning(pod, ip: "10.1.\(index / 200).\(index % 200 + 1)", ready: index % 2 == 0, in: cluster)
                    }
                }
                try await group.waitForAll()
            }
            // The service comes last, so that its first sync sees every pod.
            let service = try await cluster.resource(F.services, namespace: "default").create(
                F.service("web", selector: ["app": "web"], ports: [F.servicePort("http", 80, target: "web")]))
            try await waitUntil("250 endpoints in 3 slices", timeout: .seconds(60)) {
                let slices = try await Self.slices(of: "web", in: cluster)
                let counts = slices.map { $0["endpoints"]?.arrayValue?.count ?? 0 }
                return counts.reduce(0, +) == 250 && slices.count == 3
            }
            let slices = try await Self.slices(of: "web", in: cluster)
            #expect(slices.map { $0["endpoints"]?.arrayValue?.count ?? 0 }.allSatisfy { $0 <= 100 })
            for slice in slices {
                #expect((slice.name ?? "").hasPrefix("web-") && (slice.name ?? "").count == "web-".count + 5)
                #expect(slice["addressType"] == "IPv4")
                #expect(slice.labels["endpointslice.kubernetes.io/managed-by"] == "endpointslice-controller.k8s.io")
                #expect(slice["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
                #expect(slice.controllerReference?["uid"] == .string(service.uid ?? ""))
                #expect(slice.controllerReference?["kind"] == "Service")
            }
            let endpoints = slices.flatMap { $0["endpoints"]?.arrayValue ?? [] }
            let first = endpoints.first { $0[path: "targetRef", "name"] == "web-0" }
            #expect(first?["conditions"] == ["ready": true, "serving": true, "terminating": false])
            #expect(first?["nodeName"] == "n1")
            #expect(first?["zone"] == "zone-a")
            #expect(first?["addresses"] == ["10.1.0.1"])
            let second = endpoints.first { $0[path: "targetRef", "name"] == "web-1" }
            #expect(second?["conditions"] == ["ready": false, "serving": false, "terminating": false])

            // Once the controller has settled (the same slices twice in a row), deleting ten pods
            // rewrites the slices holding them; no slice is replaced.
            // The first check only records the names; each later one compares with the one before.
            var names: Set<String> = []
            try await waitUntil("the slices settled", interval: .milliseconds(250)) {
                let current = Set(try await Self.slices(of: "web", in: cluster).compactMap(\.name))
                defer { names = current }
                return current == names
            }
            for index in 0..<10 { try await cluster.pods().delete("web-\(index)", options: DeleteOptions(gracePeriodSeconds: 0)) }
            try await waitUntil("240 endpoints") {
                try await Self.slices(of: "web", in: cluster).reduce(0) { $0 + ($1["endpoints"]?.arrayValue?.count ?? 0) } == 240
            }
            #expect(Set(try await Self.slices(of: "web", in: cluster).compactMap(\.name)) == names)
        }
    }

    @Test func aServiceWithoutEndpointsHasOnePlaceholderSlice() async throws {
        try await InProcessCluster.withControllers(controllers: [.endpointSlice]) { cluster in
            _ = try await cluster.resource(F.services, namespace: "default").create(
                F.service("idle", selector: ["app": "idle"], ports: [F.servicePort("http", 80, target: 80)]))
            try await waitUntil("a placeholder slice") { try await Self.slices(of: "idle", in: cluster).count == 1 }
            let placeholder = try #require(try await Self.slices(of: "idle", in: cluster).first)
            #expect(placeholder["endpoints"] == [])
            #expect(placeholder["ports"] == nil)

            // A ready pod on a known node fills a new slice; the placeholder goes.
            try await F.createNode("n1", in: cluster)
            try await F.createRunning(F.pod("idle-0", labels: ["app": "idle"], node: "n1"), ip: "10.2.0.1", ready: true, in: cluster)
            try await waitUntil("one slice with the pod") {
                let slices = try await Self.slices(of: "idle", in: cluster)
                return slices.count == 1 && slices[0]["endpoints"]?.arrayValue?.count == 1
            }
            let slice = try #require(try await Self.slices(of: "idle", in: cluster).first)
            #expect(slice["ports"] == [["name": "http", "port": 80, "protocol": "TCP"]])
            #expect(slice.name != placeholder.name)
        }
    }
}
