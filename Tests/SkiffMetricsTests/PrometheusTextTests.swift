import Testing

@testable import SkiffMetrics

@Suite struct PrometheusTextTests {
    @Test func validNamesStayAsTheyAre() {
        for name in ["apiserver_request_total", "workqueue:depth", "_x9", "A"] {
            #expect(PrometheusText.sanitizedName(name) == name)
        }
    }

    @Test func forbiddenCharactersBecomeUnderscores() {
        #expect(PrometheusText.sanitizedName("scheduler.attempts-total") == "scheduler_attempts_total")
        #expect(PrometheusText.sanitizedName("9lives") == "_lives")
        #expect(PrometheusText.sanitizedName("température") == "temp_rature")
        #expect(PrometheusText.sanitizedName("") == "_")
    }
}
