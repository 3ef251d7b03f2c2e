import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffStorage
import Testing

@Suite struct AllocatorTests {
    private static func service(_ name: String, clusterIP: String? = nil, nodePort: Int64? = nil) -> JSONValue {
        var port: JSONValue = ["port": 80]
        var spec: JSONValue = ["ports": .array([])]
        if let nodePort {
            port["nodePort"] = .int(nodePort)
            spec["type"] = "NodePort"
        }
        spec["ports"] = [port]
        if let clusterIP { spec["clusterIP"] = .string(clusterIP) }
        return ["apiVersion": "v1", "kind": "Service", "metadata": ["name": .string(name)], "spec": spec]
    }

    @Test(arguments: Transport.allCases)
    func allocationsSurviveARestart(_ transport: Transport) async throws {
        let storage = MemoryStorage()
        try await APIServerHarness.with(transport, storage: storage) { server async throws in
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("a", clusterIP: "10.96.0.50", nodePort: 30100)).status == 201)
        }
        let stored = try #require(try await storage.get("/registry/ranges/serviceips", revision: 0))
        let allocation = try JSONValue(parsing: stored.value)
        #expect(allocation["kind"] == "RangeAllocation" && allocation["apiVersion"] == "v1")
        #expect(allocation["range"] == "10.96.0.0/12")
        #expect(allocation["data"]?.stringValue?.isEmpty == false)
        try await APIServerHarness.with(transport, storage: storage) { server async throws in
            let ip = try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("b", clusterIP: "10.96.0.50"))
            #expect(ip.status == 422)
            #expect(try ip.json()["message"] == #"Service "b" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.50"]: failed to allocate IP 10.96.0.50: provided IP is already allocated"#)
            let port = try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("c", nodePort: 30100))
            #expect(try port.json()["message"] == #"Service "c" is invalid: spec.ports[0].nodePort: Invalid value: 30100: provided port is already allocated"#)
            // The kubernetes service's 10.96.0.1 is taken too.
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("d", clusterIP: "10.96.0.1")).status == 422)
        }
    }

    @Test func theRepairAtStartFreesLeaksAndRecordsWhatServicesHold() async throws {
        let storage = MemoryStorage()
        try await APIServerHarness.with(.router, storage: storage) { server async throws in
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("gone", clusterIP: "10.96.0.60")).status == 201)
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("kept", clusterIP: "10.96.0.61")).status == 201)
        }
        // A service removed behind the allocator's back leaks its IP; a lost range forgets the other.
        let gone = try #require(try await storage.get("/registry/services/specs/default/gone", revision: 0))
        _ = try await storage.delete(gone.key, expectedModRevision: gone.modRevision)
        let range = try #require(try await storage.get("/registry/ranges/serviceips", revision: 0))
        _ = try await storage.delete(range.key, expectedModRevision: range.modRevision)
        try await APIServerHarness.with(.router, storage: storage) { server async throws in
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("again", clusterIP: "10.96.0.60")).status == 201)
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("clash", clusterIP: "10.96.0.61")).status == 422)
        }
    }

    @Test(arguments: Transport.allCases)
    func valuesAnUpdateDropsAreFreed(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport) { server async throws in
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("np", clusterIP: "10.96.0.70", nodePort: 30200)).status == 201)
            var service = try await server.send(.GET, "/api/v1/namespaces/default/services/np").json()
            service[path: "spec", "type"] = "ClusterIP"
            let clusterIP = try await server.send(.PUT, "/api/v1/namespaces/default/services/np", json: service)
            #expect(clusterIP.status == 200)
            #expect(try clusterIP.json()[path: "spec", "ports"]?.arrayValue?.first?["nodePort"] == nil)
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("again", nodePort: 30200)).status == 201)
            service = try clusterIP.json()
            service[path: "spec", "type"] = "ExternalName"
            service[path: "spec", "externalName"] = "example.com"
            #expect(try await server.send(.PUT, "/api/v1/namespaces/default/services/np", json: service).status == 200)
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("ip", clusterIP: "10.96.0.70")).status == 201)
        }
    }

    @Test(arguments: Transport.allCases)
    func concurrentCreatesNeverShareAnIP(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport) { server in
            let ips = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let created = try await server.send(.POST, "/api/v1/namespaces/default/services", json: Self.service("s\(index)", nodePort: 0))
                        #expect(created.status == 201)
                        let object = try created.json()
                        let nodePort = object[path: "spec", "ports"]?.arrayValue?.first?["nodePort"]?.intValue ?? 0
                        return (object[path: "spec", "clusterIP"]?.stringValue ?? "") + "/" + String(nodePort)
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(ips.map { $0.split(separator: "/")[0] }).count == 24)
            #expect(Set(ips.map { $0.split(separator: "/")[1] }).count == 24)
        }
    }
}
