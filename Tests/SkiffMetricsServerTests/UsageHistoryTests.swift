import SkiffAPI
import Testing

@testable import SkiffMetricsServer

/// Rates between scrapes, as metrics-server computes them, and the objects served.
struct UsageHistoryTests {
    static let start = Timestamp(seconds: 1_700_000_000)
    static let key = NodeScrape.ContainerKey(namespace: "default", pod: "web", container: "app")

    static func scrape(at seconds: Int64, nodeCPU: Double, containerCPU: Double, startedAt: Timestamp = start.adding(seconds: -3600)) -> NodeScrape {
        let at = start.adding(seconds: seconds)
        return NodeScrape(node: MetricsPoint(timestamp: at, cpuSeconds: nodeCPU, memoryBytes: 512 * 1024 * 1024),
                          containers: [key: MetricsPoint(startTime: startedAt, timestamp: at, cpuSeconds: containerCPU, memoryBytes: 10 * 1024 * 1024)])
    }

    @Test func cpuIsTheRateBetweenTwoScrapes() throws {
        var history = UsageHistory(resolution: .seconds(15))
        history.record(Self.scrape(at: 0, nodeCPU: 100, containerCPU: 10), node: "n")
        #expect(history.node("n") == nil && history.pods.isEmpty)
        history.record(Self.scrape(at: 15, nodeCPU: 103, containerCPU: 10.75), node: "n")
        let node = try #require(history.node("n"))
        #expect(node.cpuNanoCores == 200_000_000 && node.cpuQuantity == "200m" && node.memoryQuantity == "512Mi")
        #expect(node.window == .seconds(15) && node.windowText == "15s" && node.timestamp == Self.start.adding(seconds: 15))
        let pod = try #require(history.pods[UsageHistory.PodKey(namespace: "default", name: "web")]?["app"])
        #expect(pod.cpuQuantity == "50m" && pod.memoryQuantity == "10Mi")
    }

    @Test func aFreshContainerIsMeasuredFromItsStart() throws {
        var history = UsageHistory(resolution: .seconds(15))
        history.record(Self.scrape(at: 10, nodeCPU: 1, containerCPU: 1, startedAt: Self.start), node: "n")
        let pod = try #require(history.pods[UsageHistory.PodKey(namespace: "default", name: "web")]?["app"])
        #expect(pod.cpuQuantity == "100m" && pod.window == .seconds(10))
    }

    @Test func aRestartedContainerStartsOver() {
        var history = UsageHistory(resolution: .seconds(15))
        history.record(Self.scrape(at: 0, nodeCPU: 1, containerCPU: 50), node: "n")
        history.record(Self.scrape(at: 100, nodeCPU: 2, containerCPU: 1, startedAt: Self.start.adding(seconds: 50)), node: "n")
        #expect(history.pods.isEmpty)
        history.keepNodes([])
        #expect(history.node("n") == nil)
    }

    @Test func theKubeletsExpositionIsRead() throws {
        let text = """
            # TYPE container_cpu_usage_seconds_total counter
            container_cpu_usage_seconds_total{container="app",namespace="default",pod="web"} 10.5 1700000000123
            container_memory_working_set_bytes{container="app",namespace="default",pod="web"} 1.048576e+07 1700000000123
            container_start_time_seconds{container="app",namespace="default",pod="web"} 1.6999964e+09 1700000000123
            node_cpu_usage_seconds_total 100 1700000000123
            node_memory_working_set_bytes 5.36870912e+08 1700000000123
            resource_scrape_error 0

            """
        let scrape = NodeScrape(text: text, receivedAt: Self.start)
        let at = Timestamp(seconds: 1_700_000_000, nanoseconds: 123_000_000)
        #expect(scrape.node == MetricsPoint(timestamp: at, cpuSeconds: 100, memoryBytes: 536_870_912))
        #expect(scrape.containers == [Self.key: MetricsPoint(startTime: Timestamp(seconds: 1_699_996_400), timestamp: at, cpuSeconds: 10.5,
                                                             memoryBytes: 10_485_760)])
    }

    @Test func metricsObjectsAreUpstreams() throws {
        var history = UsageHistory(resolution: .seconds(15))
        history.record(Self.scrape(at: 0, nodeCPU: 100, containerCPU: 10), node: "n")
        history.record(Self.scrape(at: 15, nodeCPU: 103, containerCPU: 10.75), node: "n")
        let usage = try #require(history.node("n"))
        let object = MetricsResources.nodeMetrics(name: "n", labels: ["a": "b"], usage: usage, now: Self.start)
        #expect(object == [
            "kind": "NodeMetrics", "apiVersion": "metrics.k8s.io/v1beta1",
            "metadata": ["name": "n", "creationTimestamp": .string(Self.start.rfc3339), "labels": ["a": "b"]],
            "timestamp": .string(Self.start.adding(seconds: 15).rfc3339), "window": "15s", "usage": ["cpu": "200m", "memory": "512Mi"],
        ])
        let cells = MetricsStrategy(kind: .node).tableCells(for: object, now: Self.start)
        #expect(cells == ["n", "200m", "512Mi", "15s"])
    }
}
