import CoreMetrics
import Testing

@testable import SkiffMetrics

@Suite struct PrometheusRegistryTests {
    @Test func countersAndGaugesAreExposedWithTheirTypeAndLabels() {
        let registry = PrometheusRegistry()
        Counter(label: "apiserver_request_total", dimensions: [("verb", "GET"), ("code", "200")], factory: registry).increment(by: 2)
        Counter(label: "apiserver_request_total", dimensions: [("verb", "GET"), ("code", "200")], factory: registry).increment()
        Gauge(label: "scheduler_pending_pods", dimensions: [("queue", "active")], factory: registry).record(4)
        let meter = Meter(label: "apiserver_current_inflight_requests", dimensions: [("request_kind", "mutating")], factory: registry)
        meter.increment()
        meter.increment()
        meter.decrement()
        #expect(registry.exposition() == """
            # TYPE apiserver_current_inflight_requests gauge
            apiserver_current_inflight_requests{request_kind="mutating"} 1
            # TYPE apiserver_request_total counter
            apiserver_request_total{verb="GET",code="200"} 3
            # TYPE scheduler_pending_pods gauge
            scheduler_pending_pods{queue="active"} 4

            """)
    }

    @Test func timersAreHistogramsInSecondsWithUpstreamBuckets() {
        let registry = PrometheusRegistry()
        let timer = Timer(label: "scheduler_scheduling_attempt_duration_seconds", dimensions: [("result", "scheduled"), ("profile", "default-scheduler")], factory: registry)
        timer.recordNanoseconds(1_500_000)  // 1.5 ms: in the 0.002 bucket
        timer.recordNanoseconds(20_000_000_000)  // 20 s: above the last bound (16.384)
        let lines = registry.exposition().split(separator: "\n").map(String.init)
        let labels = #"result="scheduled",profile="default-scheduler""#
        #expect(lines.first == "# TYPE scheduler_scheduling_attempt_duration_seconds histogram")
        #expect(lines.contains("scheduler_scheduling_attempt_duration_seconds_bucket{\(labels),le=\"0.001\"} 0"))
        #expect(lines.contains("scheduler_scheduling_attempt_duration_seconds_bucket{\(labels),le=\"0.002\"} 1"))
        #expect(lines.contains("scheduler_scheduling_attempt_duration_seconds_bucket{\(labels),le=\"16.384\"} 1"))
        #expect(lines.contains("scheduler_scheduling_attempt_duration_seconds_bucket{\(labels),le=\"+Inf\"} 2"))
        #expect(lines.contains("scheduler_scheduling_attempt_duration_seconds_sum{\(labels)} 20.0015"))
        #expect(lines.contains("scheduler_scheduling_attempt_duration_seconds_count{\(labels)} 2"))
        // 15 bounds, +Inf, sum and count.
        #expect(lines.count == 1 + 15 + 1 + 2)
    }

    @Test func upstreamBucketTables() {
        let buckets = HistogramBuckets.upstream
        #expect(buckets.bounds(of: "apiserver_request_duration_seconds").count == 23)
        #expect(buckets.bounds(of: "apiserver_request_duration_seconds").last == 60)
        #expect(buckets.bounds(of: "kubelet_pod_start_duration_seconds").first == 0.5)
        #expect(buckets.bounds(of: "anything_else_seconds") == HistogramBuckets.prometheusDefault)
        #expect(HistogramBuckets.exponential(start: 0.001, factor: 2, count: 15).last == 16.384)
    }

    @Test func labelValuesAreEscapedAndNamesSanitized() {
        let registry = PrometheusRegistry()
        Counter(label: "skiff.test-total", dimensions: [("path", "a\\b \"c\"\nd"), ("9x", "v")], factory: registry).increment()
        #expect(registry.exposition() == """
            # TYPE skiff_test_total counter
            skiff_test_total{path="a\\\\b \\"c\\"\\nd",_x="v"} 1

            """)
    }

    @Test func namesThatSanitizeAlikeShareASeriesAndLabelsDoNotRunTogether() {
        let registry = PrometheusRegistry()
        for _ in 0..<2 {
            Counter(label: "skiff.test-total", dimensions: [("a", "bc")], factory: registry).increment()
            Counter(label: "skiff_test_total", dimensions: [("a", "bc")], factory: registry).increment()
            Counter(label: "skiff_test_total", dimensions: [("ab", "c")], factory: registry).increment()
        }
        #expect(registry.exposition() == """
            # TYPE skiff_test_total counter
            skiff_test_total{a="bc"} 4
            skiff_test_total{ab="c"} 2

            """)
    }

    @Test func aNameReusedAsAnotherKindIsNotExposedTwice() {
        let registry = PrometheusRegistry()
        Counter(label: "things", factory: registry).increment()
        Gauge(label: "things", factory: registry).record(7)
        #expect(registry.exposition() == "# TYPE things counter\nthings 1\n")
    }

    @Test func processMetricsAreAddedWhenAsked() {
        let text = PrometheusRegistry(includeProcessMetrics: true).exposition()
        let scraped = ScrapedMetrics(text: text)
        #expect(scraped.sum("process_resident_memory_bytes") > 0)
        #expect(scraped.sum("process_start_time_seconds") > 1_600_000_000)
        #expect(scraped.sum("process_open_fds") > 0)
        #expect(scraped.samples("process_cpu_seconds_total").count == 1)
    }
}
