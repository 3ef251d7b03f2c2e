import SkiffAPIServer
import SkiffMetrics
import SkiffTesting
import Testing

@Suite struct MetricsEndpointTests {
    @Test(arguments: Transport.allCases)
    func servesThePrometheusRegistryWithStoredObjectCounts(_ transport: Transport) async throws {
        var options = APIServer.Options()
        options.metricsFactory = PrometheusRegistry()
        try await APIServerHarness.with(transport, options: options) { server async throws in
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "one"]]).status == 201)
            let response = try await server.send(.GET, "/metrics")
            #expect(response.status == 200)
            #expect(response.headers.first(name: "content-type") == PrometheusRegistry.contentType)
            let scraped = ScrapedMetrics(text: response.text)
            #expect(scraped.sum("apiserver_request_total", matching: ["verb": "POST", "resource": "configmaps", "code": "201"]) == 1)
            #expect(scraped.sum("apiserver_request_duration_seconds_count", matching: ["verb": "POST", "resource": "configmaps"]) == 1)
            #expect(scraped.sum("apiserver_storage_objects", matching: ["resource": "configmaps"]) >= 1)
            #expect(scraped.sum("apiserver_storage_objects", matching: ["resource": "namespaces"]) >= 4)
            // The scrape itself is in flight while the answer is made.
            #expect(scraped.sum("apiserver_current_inflight_requests", matching: ["request_kind": "readOnly"]) >= 1)
            #expect(try await server.send(.GET, "/").json()["paths"]?.arrayValue?.contains("/metrics") == true)
        }
    }

    @Test func answers404WithoutAPrometheusBackend() async throws {
        try await APIServerHarness.with(.router) { server async throws in
            #expect(try await server.send(.GET, "/metrics").status == 404)
        }
    }
}
