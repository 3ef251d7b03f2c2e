import SkiffAPI
import SkiffModels
import Testing

@testable import SkiffControllers

/// The pure parts of the endpoints controllers: subsets, truncation, slice planning.
struct EndpointLogicTests {
    static func address(_ ip: String) -> EndpointAddress {
        EndpointAddress(ip: ip, podUID: "uid-" + ip)
    }

    static let http = EndpointPort(name: "http", port: 8080, portProtocol: "TCP")
    static let metrics = EndpointPort(name: "metrics", port: 9100, portProtocol: "TCP")

    @Test func repackGroupsAddressesByTheirPortsAndReadyWins() {
        let subsets = EndpointSubsets.repack([
            EndpointSubset(addresses: [Self.address("10.0.0.2")], ports: [Self.http]),
            EndpointSubset(addresses: [Self.address("10.0.0.1")], ports: [Self.http]),
            EndpointSubset(addresses: [Self.address("10.0.0.1")], ports: [Self.metrics]),
            EndpointSubset(notReadyAddresses: [Self.address("10.0.0.2")], ports: [Self.metrics]),
            EndpointSubset(notReadyAddresses: [Self.address("10.0.0.1")], ports: [Self.http]),
        ])
        #expect(subsets == [
            EndpointSubset(addresses: [Self.address("10.0.0.1"), Self.address("10.0.0.2")], ports: [Self.http]),
            EndpointSubset(addresses: [Self.address("10.0.0.1")], notReadyAddresses: [Self.address("10.0.0.2")], ports: [Self.metrics]),
        ])
    }

    @Test func repackMergesPortsOfTheSameAddresses() {
        let subsets = EndpointSubsets.repack([
            EndpointSubset(addresses: [Self.address("10.0.0.1")], ports: [Self.metrics]),
            EndpointSubset(addresses: [Self.address("10.0.0.1")], ports: [Self.http]),
        ])
        #expect(subsets == [EndpointSubset(addresses: [Self.address("10.0.0.1")], ports: [Self.http, Self.metrics])])
        let portless = EndpointSubset(addresses: [Self.address("10.0.0.1")])
        #expect(EndpointSubsets.repack([portless]) == [portless])
    }

    @Test func truncationCutsNotReadyFirstThenReadyProportionally() {
        func addresses(_ prefix: String, _ count: Int) -> [EndpointAddress] { (0..<count).map { Self.address("\(prefix).\($0)") } }
        var notReadyCut = [
            EndpointSubset(addresses: addresses("a", 6), notReadyAddresses: addresses("b", 4), ports: [Self.http]),
            EndpointSubset(notReadyAddresses: addresses("c", 4), ports: [Self.metrics]),
        ]
        #expect(EndpointSubsets.truncate(&notReadyCut, capacity: 10))
        #expect(notReadyCut.map(\.addresses.count) == [6, 0])
        #expect(notReadyCut.map(\.notReadyAddresses.count) == [2, 2])

        var readyCut = [
            EndpointSubset(addresses: addresses("a", 9), notReadyAddresses: addresses("b", 1)),
            EndpointSubset(addresses: addresses("c", 3)),
        ]
        #expect(EndpointSubsets.truncate(&readyCut, capacity: 8))
        #expect(readyCut.map(\.addresses.count) == [6, 2])
        #expect(readyCut[0].notReadyAddresses.isEmpty)

        var fits = [EndpointSubset(addresses: addresses("a", 3))]
        #expect(!EndpointSubsets.truncate(&fits, capacity: 3))
    }

    @Test func namedTargetPortsResolveAgainstContainerPortsOfTheSameProtocol() {
        let pod = CoreV1.Pod(
            spec: CoreV1.PodSpec(
                containers: [
                    CoreV1.Container(
                        name: "app",
                        ports: [
                            CoreV1.ContainerPort(containerPort: 53, name: "dns", protocol: "UDP"), CoreV1.ContainerPort(containerPort: 8080, name: "web"),
                        ])
                ],
                initContainers: [
                    CoreV1.Container(name: "proxy", ports: [CoreV1.ContainerPort(containerPort: 15001, name: "proxy")], restartPolicy: "Always")
                ]))
        #expect(pod.containerPort(for: CoreV1.ServicePort(port: 80, protocol: "TCP", targetPort: "web")) == 8080)
        #expect(pod.containerPort(for: CoreV1.ServicePort(port: 53, protocol: "TCP", targetPort: "dns")) == nil)
        #expect(pod.containerPort(for: CoreV1.ServicePort(port: 53, protocol: "UDP", targetPort: "dns")) == 53)
        #expect(pod.containerPort(for: CoreV1.ServicePort(port: 1, targetPort: "proxy")) == 15001)
        #expect(pod.containerPort(for: CoreV1.ServicePort(port: 80, targetPort: 9000)) == 9000)
    }

    static func readyPod(_ index: Int) -> CoreV1.Pod {
        CoreV1.Pod(
            metadata: ObjectMeta(name: "p\(index)", namespace: "default", uid: "u\(index)"),
            status: CoreV1.PodStatus(
                conditions: [CoreV1.PodCondition(lastTransitionTime: Timestamp(rfc3339: "2026-01-01T00:00:00Z"), status: "True", type: "Ready")],
                podIP: "10.\(index / 65536).\(index / 256 % 256).\(index % 256)"))
    }

    @Test func endpointsOverCapacityAreTruncatedAndAnnotated() throws {
        let service = CoreV1.Service(
            metadata: ObjectMeta(name: "big", namespace: "default", creationTimestamp: Timestamp(rfc3339: "2025-01-01T00:00:00Z"), labels: ["app": "big"]),
            spec: CoreV1.ServiceSpec(clusterIP: "None", ports: [CoreV1.ServicePort(name: "http", port: 80, targetPort: 8080)], selector: ["app": "big"]))
        let pods = (0..<1001).map(Self.readyPod)
        let endpoints = try #require(EndpointsSync.desiredEndpoints(of: service, pods: pods, current: nil))
        #expect(endpoints.metadata?.annotations?["endpoints.kubernetes.io/over-capacity"] == "truncated")
        #expect(endpoints.metadata?.annotations?["endpoints.kubernetes.io/last-change-trigger-time"] == "2026-01-01T00:00:00Z")
        #expect(endpoints.metadata?.labels == ["app": "big", "service.kubernetes.io/headless": ""])
        #expect(endpoints.name == "big" && endpoints.namespace == "default")
        #expect(endpoints.subsets?.first?.addresses?.count == 1000)
        // Written once: the same pods need no update.
        #expect(EndpointsSync.desiredEndpoints(of: service, pods: pods, current: endpoints) == nil)

        // Back under capacity, the annotation goes.
        let fewer = try #require(EndpointsSync.desiredEndpoints(of: service, pods: Array(pods.prefix(10)), current: endpoints))
        #expect(fewer.metadata?.annotations?["endpoints.kubernetes.io/over-capacity"] == nil)
        #expect(fewer.subsets?.first?.addresses?.count == 10)
    }

    static func endpoint(_ ip: String, ready: Bool = true) -> DiscoveryV1.Endpoint {
        DiscoveryV1.Endpoint(addresses: [ip], conditions: DiscoveryV1.EndpointConditions(ready: ready))
    }

    static func slice(_ name: String, _ ips: [String]) -> DiscoveryV1.EndpointSlice {
        DiscoveryV1.EndpointSlice(addressType: "IPv4", endpoints: ips.map { endpoint($0) }, metadata: ObjectMeta(name: name))
    }

    @Test func slicePlanCreatesInChunksOfTheMaximum() {
        let desired = (0..<250).map { Self.endpoint("10.0.0.\($0)") }
        let plan = EndpointSlicePlan.make(existing: [], desired: desired, maxEndpointsPerSlice: 100)
        #expect(plan.creates.map(\.count) == [100, 100, 50])
        #expect(plan.updates.isEmpty && plan.deletes.isEmpty)
    }

    @Test func slicePlanKeepsUnchangedSlicesAndFillsUpdatedOnesFirst() {
        let existing = [Self.slice("a", ["1", "2", "3"]), Self.slice("b", ["4", "5"]), Self.slice("c", ["6"])]
        // 2 changes readiness, 6 goes, 7 and 8 arrive.
        let desired = [Self.endpoint("1"), Self.endpoint("2", ready: false), Self.endpoint("3"), Self.endpoint("4"), Self.endpoint("5"),
                       Self.endpoint("7"), Self.endpoint("8")]
        let plan = EndpointSlicePlan.make(existing: existing, desired: desired, maxEndpointsPerSlice: 4)
        #expect(plan.deletes.map(\.name) == ["c"])
        #expect(plan.updates.map { $0.slice.name } == ["a", "b"])
        #expect(plan.updates[0].endpoints == [Self.endpoint("1"), Self.endpoint("2", ready: false), Self.endpoint("3"), Self.endpoint("7")])
        #expect(plan.updates[1].endpoints == [Self.endpoint("4"), Self.endpoint("5"), Self.endpoint("8")])
        #expect(plan.creates.isEmpty)

        let unchanged = EndpointSlicePlan.make(existing: existing, desired: (1...6).map { Self.endpoint("\($0)") }, maxEndpointsPerSlice: 4)
        #expect(unchanged.creates.isEmpty && unchanged.updates.isEmpty && unchanged.deletes.isEmpty)
    }
}
