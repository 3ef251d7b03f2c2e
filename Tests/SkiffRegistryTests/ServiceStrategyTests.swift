import Foundation
import SkiffAPI
import SkiffStorage
@testable import SkiffRegistry
import Testing

@Suite struct ServiceStrategyTests {
    private func service(_ name: String, _ spec: JSONValue = ["ports": [["port": 80]]]) -> JSONValue {
        ["metadata": ["name": .string(name)], "spec": spec]
    }

    @Test func defaults() async throws {
        try await withRegistry { registry in
            let created = try await registry.store("services").create(namespace: "test", object: service("web", [
                "selector": ["app": "web"], "ports": [["name": "http", "port": 80], ["name": "dns", "port": 53, "protocol": "UDP", "targetPort": "dns"]],
            ]))
            let spec = try #require(created["spec"])
            #expect(spec["type"] == "ClusterIP")
            #expect(spec["sessionAffinity"] == "None")
            #expect(spec["ipFamilies"] == ["IPv4"])
            #expect(spec["ipFamilyPolicy"] == "SingleStack")
            #expect(spec["internalTrafficPolicy"] == "Cluster")
            #expect(spec["externalTrafficPolicy"] == nil)
            #expect(spec["clusterIPs"] == [spec["clusterIP"] ?? .null])
            #expect(spec["ports"] == [["name": "http", "port": 80, "protocol": "TCP", "targetPort": 80], ["name": "dns", "port": 53, "protocol": "UDP", "targetPort": "dns"]])
            #expect(created["status"] == ["loadBalancer": .emptyObject])
        }
    }

    @Test func portNamesAreRequiredWhenThereAreSeveral() async throws {
        try await withRegistry { registry in
            let error = await apiError {
                _ = try await registry.store("services").create(namespace: "test", object: service("web", ["ports": [["port": 80], ["port": 443]]]))
            }
            #expect(error?.message == #"Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: Required value]"#)
            let badName = await apiError { _ = try await registry.store("services").create(namespace: "test", object: service("1web")) }
            #expect(badName?.details?.causes.first?.field == "metadata.name")
        }
    }

    @Test func clusterIPsAreUniqueHonouredAndImmutable() async throws {
        try await withRegistry { registry in
            let services = try registry.store("services")
            var ips = Set<String>()
            for index in 0..<20 {
                let created = try await services.create(namespace: "test", object: service("s\(index)"))
                let ip = created.stringValue(at: "spec", "clusterIP")
                #expect(IPv4.parse(ip).map { $0 >> 20 == IPv4.parse("10.96.0.0")! >> 20 } == true, "\(ip) is in 10.96.0.0/12")
                #expect(IPv4.parse(ip).map { $0 > IPv4.parse("10.96.1.0")! } == true, "dynamic IPs avoid the static band")
                ips.insert(ip)
            }
            #expect(ips.count == 20)
            let fixed = try await services.create(namespace: "test", object: service("fixed", ["clusterIP": "10.96.0.10", "ports": [["port": 80]]]))
            #expect(fixed[path: "spec", "clusterIPs"] == ["10.96.0.10"])
            let taken = await apiError {
                _ = try await services.create(namespace: "test", object: service("dup", ["clusterIP": "10.96.0.10", "ports": [["port": 80]]]))
            }
            #expect(taken?.message == #"Service "dup" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated"#)
            let outside = await apiError {
                _ = try await services.create(namespace: "test", object: service("far", ["clusterIP": "192.168.0.1", "ports": [["port": 80]]]))
            }
            #expect(outside?.details?.causes.first?.message.hasSuffix("the provided IP (192.168.0.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12") == true)
            var changed = fixed
            changed[path: "spec", "clusterIP"] = "10.96.0.11"
            let immutable = await apiError { _ = try await services.update(namespace: "test", name: "fixed", object: changed) }
            #expect(immutable?.message == #"Service "fixed" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.11"]: may not change once set"#)
            // Leaving the IP out of an update keeps it.
            var relabelled = fixed
            relabelled[path: "spec", "clusterIP"] = nil
            relabelled[path: "spec", "clusterIPs"] = nil
            relabelled.labels = ["tier": "web"]
            #expect(try await services.update(namespace: "test", name: "fixed", object: relabelled)[path: "spec", "clusterIP"] == "10.96.0.10")
        }
    }

    @Test func deletedAndFailedServicesReleaseTheirIP() async throws {
        try await withRegistry { registry in
            let services = try registry.store("services")
            let spec: JSONValue = ["clusterIP": "10.96.0.20", "ports": [["port": 80]]]
            _ = try await services.create(namespace: "test", object: service("a", spec))
            guard case .deleted = try await services.delete(namespace: "test", name: "a") else {
                Issue.record("not deleted")
                return
            }
            _ = try await services.create(namespace: "test", object: service("b", spec))
            // A create that fails in storage (the name exists) gives its reservation back.
            await #expect(throws: APIError.self) {
                try await services.create(namespace: "test", object: service("b", ["clusterIP": "10.96.0.21", "ports": [["port": 80]]]))
            }
            _ = try await services.create(namespace: "test", object: service("c", ["clusterIP": "10.96.0.21", "ports": [["port": 80]]]))
            // A dry run reserves nothing.
            _ = try await services.create(namespace: "test", object: service("d", ["clusterIP": "10.96.0.22", "ports": [["port": 80]]]),
                                          options: WriteOptions(dryRun: true))
            _ = try await services.create(namespace: "test", object: service("e", ["clusterIP": "10.96.0.22", "ports": [["port": 80]]]))
        }
    }

    @Test func allocationsInARange() throws {
        var allocations = RangeAllocator.Allocations(bitmap: AllocationBitmap(count: 20), first: 100, staticBand: 4)
        var values = Set<UInt32>()
        for _ in 0..<20 { values.insert(try allocations.allocate()) }
        #expect(values == Set(100..<120))
        #expect(throws: RangeAllocator.Failure.self) { try allocations.allocate() }
        allocations.release(105)
        #expect(try allocations.allocate() == 105)
        #expect(throws: RangeAllocator.Failure.self) { try allocations.reserve(99) }
        var fresh = RangeAllocator.Allocations(bitmap: AllocationBitmap(count: 20), first: 100, staticBand: 4)
        try fresh.reserve(110)
        #expect(throws: RangeAllocator.Failure.self) { try fresh.reserve(110) }
        // The static band (the first 4 values) is used last.
        for value in UInt32(104)..<120 where value != 110 { try fresh.reserve(value) }
        #expect(try fresh.allocate() < 104)
    }

    /// The stored bitmap is Go's `big.Int.Bytes()` of the set bits: big-endian, no leading zeros.
    @Test func bitmapBytes() {
        var bitmap = AllocationBitmap(count: 100)
        #expect(bitmap.bigEndianBytes == [])
        bitmap.insert(0)
        #expect(bitmap.bigEndianBytes == [0x01])
        bitmap.insert(9)
        #expect(bitmap.bigEndianBytes == [0x02, 0x01])
        bitmap.insert(70)
        #expect(bitmap.bigEndianBytes.count == 9)
        #expect(AllocationBitmap(count: 100, bigEndianBytes: bitmap.bigEndianBytes) == bitmap)
        #expect(bitmap.firstFree(in: 0..<10, from: 9) == 1)
        let stored = RangeAllocation(range: "30000-32767", bitmap: bitmap)
        let object = try? JSONValue(parsing: stored.serialized)
        #expect(object == ["apiVersion": "v1", "kind": "RangeAllocation", "metadata": ["creationTimestamp": nil], "range": "30000-32767",
                           "data": .string(Data(bitmap.bigEndianBytes).base64EncodedString())])
        #expect(object.flatMap { RangeAllocation(object: $0, range: "30000-32767", count: 100) } == stored)
    }

    @Test func nodePortsAndHeadlessServices() async throws {
        try await withRegistry { registry in
            let services = try registry.store("services")
            let exposed = try await services.create(namespace: "test", object: service("np", ["type": "NodePort", "ports": [["name": "a", "port": 80], ["name": "b", "port": 81, "nodePort": 30080]]]))
            let ports = exposed.elements(at: "spec", "ports")
            #expect((30000...32767).contains(ports[0].intValue(at: "nodePort")))
            #expect(ports[1]["nodePort"] == 30080)
            #expect(exposed[path: "spec", "externalTrafficPolicy"] == "Cluster")
            let cells = services.strategy.tableCells(for: exposed, now: .now())
            #expect(cells[4] == .string("80:\(ports[0].intValue(at: "nodePort"))/TCP,81:30080/TCP"))
            let clash = await apiError {
                _ = try await services.create(namespace: "test", object: service("np2", ["type": "NodePort", "ports": [["port": 80, "nodePort": 30080]]]))
            }
            #expect(clash?.message == #"Service "np2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"#)
            let headless = try await services.create(namespace: "test", object: service("db", ["clusterIP": "None"]))
            #expect(headless[path: "spec", "clusterIPs"] == ["None"])
            #expect(headless[path: "spec", "ipFamilyPolicy"] == "RequireDualStack")
            #expect(headless[path: "spec", "ipFamilies"] == ["IPv4", "IPv6"])
            let external = try await services.create(namespace: "test", object: service("ext", ["type": "ExternalName", "externalName": "example.com"]))
            #expect(external[path: "spec", "clusterIP"] == nil)
            #expect(services.strategy.tableCells(for: external, now: .now())[1...4] == ["ExternalName", "<none>", "example.com", "<none>"])
        }
    }

    @Test func loadBalancerExternalIP() {
        let strategy = ServiceStrategy(allocator: ServiceAllocator(storage: MemoryStorage(), servicesKeyPrefix: "/registry/services/specs/"))
        var balancer: JSONValue = ["metadata": ["name": "lb"], "spec": ["type": "LoadBalancer", "clusterIPs": ["10.96.0.5"], "ports": [["port": 80, "protocol": "TCP", "nodePort": 31000]]]]
        #expect(strategy.tableCells(for: balancer, now: .now())[3] == "<pending>")
        balancer["status"] = ["loadBalancer": ["ingress": [["ip": "203.0.113.7"], ["hostname": "lb.example.com"]]]]
        #expect(strategy.tableCells(for: balancer, now: .now())[3] == "203.0.113.7,lb.example.com")
    }
}
