import CoreMetrics
import Testing

@testable import SkiffMetrics

@Suite struct ScrapedMetricsTests {
    @Test func readsBackWhatTheRegistryWrites() {
        let registry = PrometheusRegistry()
        Counter(label: "rest_client_requests_total", dimensions: [("code", "200"), ("method", "GET"), ("host", "h\"1")], factory: registry).increment(by: 5)
        let scraped = ScrapedMetrics(text: registry.exposition())
        #expect(scraped.samples == [.init(name: "rest_client_requests_total", labels: ["code": "200", "method": "GET", "host": "h\"1"], value: 5)])
    }

    @Test func quantilesInterpolateInsideTheBucket() {
        let registry = PrometheusRegistry(buckets: HistogramBuckets(byName: [:], fallback: [1, 2, 4]))
        for (verb, seconds) in [("GET", 0.5), ("GET", 1.5), ("GET", 1.5), ("GET", 3.0), ("POST", 10.0)] {
            Timer(label: "latency_seconds", dimensions: [("verb", verb)], factory: registry).recordNanoseconds(Int64(seconds * 1e9))
        }
        let scraped = ScrapedMetrics(text: registry.exposition())
        #expect(scraped.quantile(0.5, of: "latency_seconds", matching: ["verb": "GET"]) == 1.5)
        #expect(scraped.quantile(0.25, of: "latency_seconds", matching: ["verb": "GET"]) == 1)
        #expect(scraped.quantile(1, of: "latency_seconds", matching: ["verb": "GET"]) == 4)
        // Beyond the last finite bound: that bound.
        #expect(scraped.quantile(0.99, of: "latency_seconds", matching: ["verb": "POST"]) == 4)
        #expect(scraped.quantile(0.5, of: "latency_seconds", matching: ["verb": "PUT"]) == nil)
        #expect(scraped.sum("latency_seconds_count") == 5)
    }
}
