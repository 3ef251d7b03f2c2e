import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// The eviction manager's parts: `--eviction-hard` as upstream parses it, pressure conditions
/// with their transition period, admission under pressure, the ranking of pods and the words
/// of an eviction, and the allocatable the thresholds leave.
struct EvictionTests {
    static func pod(_ name: String, qosClass: String = "Burstable", priority: Int32? = nil, memoryRequest: String? = nil, extra: JSONValue = [:]) -> CoreV1.Pod {
        var container: JSONValue = ["name": "app", "image": "busybox"]
        if let memoryRequest { container["resources"] = ["requests": ["memory": .string(memoryRequest)]] }
        var spec: JSONValue = ["containers": [container]]
        if let priority { spec["priority"] = .int(Int64(priority)) }
        for (key, value) in extra.objectValue ?? [:] { spec[key] = value }
        let pod: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "namespace": "default", "uid": .string(name)], "spec": spec,
            "status": ["qosClass": .string(qosClass)],
        ]
        return pod.typed()
    }

    @Test func hardThresholdsParseAsUpstreamsFlag() throws {
        let thresholds = try EvictionThreshold.parse("memory.available<100Mi, nodefs.available<10%,imagefs.available<100%")
        #expect(thresholds == [
            EvictionThreshold(signal: .memoryAvailable, value: .quantity(try #require(ResourceQuantity(.string("100Mi"))))),
            EvictionThreshold(signal: .nodefsAvailable, value: .percentage(0.1)),
        ])
        #expect(thresholds[1].minimum(capacity: 1000) == 100)
        for (bad, message) in [
            ("memory.free<1Gi", "unsupported eviction signal memory.free"),
            ("memory.available>1Gi", "malformed pair, expect string<string: memory.available>1Gi"),
            ("memory.available<0", "eviction threshold memory.available must be positive: 0"),
            ("nodefs.available<150%", "eviction percentage threshold nodefs.available must be <= 100%: 150%"),
        ] {
            #expect(throws: EvictionConfigurationError.self) { try EvictionThreshold.parse(bad) }
            #expect((try? EvictionThreshold.parse(bad)) == nil)
            do {
                _ = try EvictionThreshold.parse(bad)
            } catch let error as EvictionConfigurationError {
                #expect(error.description == message)
            }
        }
    }

    @Test func aPressureConditionStaysForTheTransitionPeriodAfterItsThresholdIsNoLongerMet() throws {
        var configuration = EvictionConfiguration()
        configuration.hard = try EvictionThreshold.parse("memory.available<1Gi,nodefs.available<10%")
        configuration.pressureTransitionPeriod = .seconds(60)
        let manager = EvictionManager(configuration: configuration, dataDirectory: "/")
        let start = try #require(Timestamp(rfc3339: "2026-12-07T12:00:00Z"))
        let low = SignalObservation(available: 512 << 20, capacity: 8 << 30)
        let plenty = SignalObservation(available: 4 << 30, capacity: 8 << 30)
        let disk = SignalObservation(available: 50, capacity: 100)

        let met = manager.synchronize([.memoryAvailable: low, .nodefsAvailable: disk], now: start)
        #expect(met.map(\.0.signal) == [.memoryAvailable])
        #expect(manager.conditions == [.memory])
        #expect(manager.synchronize([.memoryAvailable: plenty, .nodefsAvailable: disk], now: start.adding(milliseconds: 30_000)).isEmpty)
        #expect(manager.conditions == [.memory])
        _ = manager.synchronize([.memoryAvailable: plenty, .nodefsAvailable: disk], now: start.adding(milliseconds: 61_000))
        #expect(manager.conditions.isEmpty)
        // A signal that was not read meets nothing.
        #expect(manager.synchronize([:], now: start.adding(milliseconds: 62_000)).isEmpty)
    }

    @Test func underMemoryPressureOnlyBestEffortPodsAreTurnedAwayUnderDiskPressureAll() throws {
        var configuration = EvictionConfiguration()
        configuration.hard = try EvictionThreshold.parse("memory.available<1Gi,nodefs.available<10%")
        let manager = EvictionManager(configuration: configuration, dataDirectory: "/")
        let now = try #require(Timestamp(rfc3339: "2026-12-07T12:00:00Z"))
        #expect(manager.admit(Self.pod("a", qosClass: "BestEffort")) == nil)

        _ = manager.synchronize([.memoryAvailable: SignalObservation(available: 1, capacity: 8 << 30)], now: now)
        #expect(manager.admit(Self.pod("a", qosClass: "BestEffort")) == PodRejection(reason: "Evicted", message: "The node had condition: [MemoryPressure]. "))
        #expect(manager.admit(Self.pod("b")) == nil)
        let tolerating: JSONValue = ["tolerations": [["key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"]]]
        #expect(manager.admit(Self.pod("c", qosClass: "BestEffort", extra: tolerating)) == nil)
        #expect(manager.admit(Self.pod("d", qosClass: "BestEffort", priority: 2_000_001_000)) == nil)

        _ = manager.synchronize([.nodefsAvailable: SignalObservation(available: 1, capacity: 100)], now: now)
        #expect(manager.admit(Self.pod("b")) == PodRejection(reason: "Evicted", message: "The node had condition: [MemoryPressure DiskPressure]. "))
    }

    @Test func podsWithoutFiguresThenThoseAboveTheirRequestsThenLowerPriorityGoFirst() {
        let candidates = [
            EvictionCandidate(pod: Self.pod("within", memoryRequest: "200"), usage: 100),
            EvictionCandidate(pod: Self.pod("above", memoryRequest: "100"), usage: 300),
            EvictionCandidate(pod: Self.pod("unmeasured"), usage: nil),
            EvictionCandidate(pod: Self.pod("important", priority: 1000), usage: 500),
            EvictionCandidate(pod: Self.pod("further-above", memoryRequest: "100"), usage: 900),
        ]
        let ranked = EvictionRanking.rank(candidates, resource: "memory").map(\.pod.name)
        #expect(ranked == ["unmeasured", "further-above", "above", "important", "within"])
    }

    @Test func theMessageNamesTheThresholdAndEachContainerAboveItsRequest() throws {
        var candidate = EvictionCandidate(pod: Self.pod("p", memoryRequest: "100Mi"), usage: 300 << 20)
        candidate.containerUsage = ["app": 300 << 20]
        let threshold = try #require(try EvictionThreshold.parse("memory.available<100Mi").first)
        let message = EvictionRanking.message(for: candidate, threshold: threshold, observed: SignalObservation(available: 50 << 20, capacity: 1 << 30))
        #expect(message == "The node was low on resource: memory. Threshold quantity: 100Mi, available: 50Mi. Container app was using 300Mi, request is 100Mi, has larger consumption of memory. ")
        let percent = try #require(try EvictionThreshold.parse("nodefs.available<10%").first)
        #expect(EvictionRanking.message(for: EvictionCandidate(pod: Self.pod("p")), threshold: percent, observed: SignalObservation(available: 1, capacity: 100))
            == "The node was low on resource: ephemeral-storage. ")
    }

    @Test func theThresholdsComeOffTheAllocatableAndPressureShowsInTheConditions() throws {
        var configuration = NodeConfiguration()
        configuration.memory = "1Gi"
        configuration.ephemeralStorage = "100Gi"
        #expect(configuration.allocatable["memory"] == "1Gi")
        configuration.eviction = EvictionConfiguration()
        #expect(configuration.allocatable["memory"] == "924Mi")
        #expect(configuration.allocatable["ephemeral-storage"] == "90Gi")
        #expect(configuration.capacity["memory"] == "1Gi")

        let builder = NodeStatusBuilder(name: "n", internalIP: "172.16.0.1", podCIDR: "10.128.0.0/24", configuration: configuration, runtimeVersion: "x")
        let now = try #require(Timestamp(rfc3339: "2026-12-07T12:00:00Z"))
        let status = builder.status(previous: nil, now: now, pressure: [.memory])
        let memory = try #require(status.conditions?.first { $0.type == "MemoryPressure" })
        #expect(memory.status == "True")
        #expect(memory.reason == "KubeletHasInsufficientMemory")
        #expect(memory.message == "kubelet has insufficient memory available")
        #expect(status.conditions?.first { $0.type == "DiskPressure" }?.status == "False")
        #expect(status.allocatable?["memory"] == "924Mi")
        #expect(status.capacity?["memory"] == "1Gi")
    }
}
