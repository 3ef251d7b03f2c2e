import Testing

@testable import SkiffKubelet

/// Pod subnets per node from the cluster CIDR, pod IPs per node from its subnet.
struct AddressAllocationTests {
    @Test func subnetsParseFormatAndIndex() throws {
        let cluster = try #require(IPv4Subnet("10.128.0.0/10"))
        #expect(cluster.description == "10.128.0.0/10")
        #expect(cluster.subnet(0, prefixLength: 24)?.description == "10.128.0.0/24")
        #expect(cluster.subnet(1_000, prefixLength: 24)?.description == "10.131.232.0/24")
        #expect(cluster.subnet(16_383, prefixLength: 24)?.description == "10.191.255.0/24")
        #expect(cluster.subnet(16_384, prefixLength: 24) == nil)
        #expect(cluster.index(of: try #require(IPv4Subnet("10.131.232.0/24"))) == 1_000)
        #expect(cluster.index(of: try #require(IPv4Subnet("10.96.0.0/24"))) == nil)
        #expect(IPv4Subnet("10.1.2.3/24")?.description == "10.1.2.0/24")
        #expect(IPv4Subnet("10.1.2/24") == nil)
        #expect(IPv4Subnet("10.1.2.300/24") == nil)
    }

    @Test func clusterCIDRFitsThousandsOfNodesAndSkipsHeldSubnets() throws {
        let allocator = PodCIDRAllocator()
        #expect(allocator.occupy("10.128.1.0/24"))
        #expect(!allocator.occupy("192.168.0.0/24"))
        #expect(allocator.allocate()?.description == "10.128.0.0/24")
        #expect(allocator.allocate()?.description == "10.128.2.0/24")
        var last = ""
        for _ in 0..<1_000 { last = try #require(allocator.allocate()).description }
        #expect(last == "10.131.234.0/24")
        allocator.release("10.128.0.0/24")
        #expect(allocator.allocate()?.description == "10.128.0.0/24")

        let small = PodCIDRAllocator(clusterCIDR: try #require(IPv4Subnet("10.0.0.0/23")), nodeMaskSize: 24)
        #expect(small.allocate() != nil)
        #expect(small.allocate() != nil)
        #expect(small.allocate() == nil)
    }

    @Test func podIPsSkipNetworkGatewayAndBroadcastAndAreReleased() throws {
        let ips = PodIPAllocator(subnet: try #require(IPv4Subnet("10.128.5.0/24")))
        #expect(ips.capacity == 253)
        #expect(ips.allocate() == "10.128.5.2")
        #expect(ips.allocate() == "10.128.5.3")
        ips.occupy("10.128.5.4")
        #expect(ips.allocate() == "10.128.5.5")
        ips.release("10.128.5.2")
        var given = Set<String>()
        while let address = ips.allocate() { given.insert(address) }
        #expect(!given.contains("10.128.5.0") && !given.contains("10.128.5.1") && !given.contains("10.128.5.255"))
        #expect(given.contains("10.128.5.2"))
        #expect(ips.allocatedCount == 253)
    }
}
