import Foundation
import SkiffAPI
import SkiffModels
import Testing

@testable import SkiffKubelet

/// The simulated containers' usage and the `/metrics/resource` exposition.
struct ResourceMetricsTests {
    static let start = Timestamp(seconds: 1_700_000_000)

    static func pod(annotations: [String: String] = [:], requests: JSONValue = ["cpu": "500m", "memory": "64Mi"]) throws -> CoreV1.Pod {
        let json: JSONValue = [
            "metadata": ["name": "web", "namespace": "default", "annotations": .object(annotations.mapValues(JSONValue.string))],
            "spec": ["containers": [["name": "app", "image": "nginx", "resources": ["requests": requests]]]],
        ]
        return try JSONDecoder().decode(CoreV1.Pod.self, from: Data(json.serialized()))
    }

    @Test func theRateIsAShareOfTheRequestsUnlessAnnotated() throws {
        let plain = try Self.pod()
        #expect(SimulatedUsageRate(pod: plain, container: plain.spec!.containers[0]) == SimulatedUsageRate(cores: 0.05, memoryBytes: 32 * 1024 * 1024))
        let bare = try Self.pod(requests: [:])
        #expect(SimulatedUsageRate(pod: bare, container: bare.spec!.containers[0])
                == SimulatedUsageRate(cores: SimulatedUsageRate.floorCores, memoryBytes: SimulatedUsageRate.floorMemoryBytes))
        let busy = try Self.pod(annotations: [SimulationAnnotations.cpuUsage: "1500m", SimulationAnnotations.memoryUsage: "1Gi"])
        #expect(SimulatedUsageRate(pod: busy, container: busy.spec!.containers[0]) == SimulatedUsageRate(cores: 1.5, memoryBytes: 1024 * 1024 * 1024))
    }

    @Test func theCounterIntegratesTheRateAndNeverGoesBack() {
        let meter = SimulatedUsageMeter()
        let slow = SimulatedUsageRate(cores: 0.1, memoryBytes: 1)
        let first = meter.read([.init(containerID: "c", startedAt: Self.start, rate: slow)], now: Self.start.adding(seconds: 10))
        #expect(first["c"]?.cpuSeconds == 1)
        // The rate rises: the counter grows at the new rate from the last reading on.
        let fast = SimulatedUsageRate(cores: 2, memoryBytes: 1)
        let second = meter.read([.init(containerID: "c", startedAt: Self.start, rate: fast)], now: Self.start.adding(seconds: 15))
        #expect(second["c"]?.cpuSeconds == 11)
        // A container not read is forgotten; read again it starts from its start.
        _ = meter.read([], now: Self.start.adding(seconds: 16))
        let again = meter.read([.init(containerID: "c", startedAt: Self.start, rate: slow)], now: Self.start.adding(seconds: 20))
        #expect(again["c"]?.cpuSeconds == 2)
    }

    @Test func theExpositionHasUpstreamsFamilies() {
        let report = ResourceMetricsReport(
            node: ContainerUsage(cpuSeconds: 12.5, memoryBytes: 1024),
            containers: [.init(namespace: "default", pod: "web", name: "app", startedAt: Self.start, usage: ContainerUsage(cpuSeconds: 2, memoryBytes: 512))],
            at: Self.start.adding(seconds: 1))
        let lines = report.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("container_cpu_usage_seconds_total{container=\"app\",namespace=\"default\",pod=\"web\"} 2 1700000001000"))
        #expect(lines.contains("container_start_time_seconds{container=\"app\",namespace=\"default\",pod=\"web\"} 1700000000 1700000001000"))
        #expect(lines.contains("node_cpu_usage_seconds_total 12.5 1700000001000"))
        #expect(lines.contains("pod_memory_working_set_bytes{namespace=\"default\",pod=\"web\"} 512 1700000001000"))
        #expect(lines.contains("resource_scrape_error 0") && lines.contains("# TYPE node_memory_working_set_bytes gauge"))
    }

    @Test func realContainersAreReadFromTheirCgroupsOrProcesses() {
        #expect(ContainerCgroupStats.v2(cpuStat: "usage_usec 2500000\nuser_usec 2000000\n", memoryCurrent: "10485760\n",
                                        memoryStat: "anon 1\ninactive_file 1048576\n") == ContainerUsage(cpuSeconds: 2.5, memoryBytes: 9_437_184))
        #expect(ContainerCgroupStats.v1(cpuacctUsage: "1500000000\n", memoryUsage: "4096\n", memoryStat: "total_inactive_file 1024\n")
                == ContainerUsage(cpuSeconds: 1.5, memoryBytes: 3072))
        #expect(ContainerCgroupStats.v2(cpuStat: nil, memoryCurrent: "1", memoryStat: nil) == nil)
        let stat = "42 (sh (x)) S 1 42 42 0 -1 4194560 100 0 0 0 150 50 0 0 20 0 1 0 100 2000000 200 0"
        #expect(ContainerCgroupStats.process(stat: stat, status: "Name:\tsh\nVmRSS:\t    2048 kB\n") == ContainerUsage(cpuSeconds: 2, memoryBytes: 2_097_152))
    }
}
