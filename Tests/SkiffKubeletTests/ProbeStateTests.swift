import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// Upstream's probe timing: the first run after `initialDelaySeconds`, then every
/// `periodSeconds`; the result flips only after the thresholds' runs in a row.
struct ProbeStateTests {
    let started = ManualClock().now

    @Test func theFirstRunWaitsForTheInitialDelayThenEveryPeriod() {
        var probe = CoreV1.Probe()
        probe.initialDelaySeconds = 5
        probe.periodSeconds = 2
        var state = ProbeState(probe, startedAt: started)
        #expect(state.nextAt == started.adding(seconds: 5))
        state.record(success: true, of: probe, now: started.adding(seconds: 5))
        #expect(state.nextAt == started.adding(seconds: 7))
        #expect(state.result == true)
    }

    @Test func failuresFlipTheResultOnlyAtTheThreshold() {
        var probe = CoreV1.Probe()
        probe.failureThreshold = 3
        probe.successThreshold = 2
        var state = ProbeState(probe, startedAt: started)
        #expect(state.result == nil)
        state.record(success: false, of: probe, now: started)
        state.record(success: false, of: probe, now: started)
        #expect(state.result == nil)
        state.record(success: true, of: probe, now: started)
        state.record(success: false, of: probe, now: started)
        state.record(success: false, of: probe, now: started)
        #expect(state.result == nil, "a success in between starts the count again")
        state.record(success: false, of: probe, now: started)
        #expect(state.result == false)
        state.record(success: true, of: probe, now: started)
        #expect(state.result == false)
        state.record(success: true, of: probe, now: started)
        #expect(state.result == true)
    }

    @Test func defaultsAreUpstreams() {
        let probe = CoreV1.Probe()
        var state = ProbeState(probe, startedAt: started)
        #expect(state.nextAt == started)
        state.record(success: false, of: probe, now: started)
        #expect(state.nextAt == started.adding(seconds: 10))
        state.record(success: false, of: probe, now: started)
        #expect(state.result == nil)
        state.record(success: false, of: probe, now: started)
        #expect(state.result == false)
    }

    @Test func namedPortsResolveAgainstTheContainer() {
        var container = CoreV1.Container(name: "web")
        container.ports = [CoreV1.ContainerPort(containerPort: 8080, name: "http")]
        #expect(ProbeRunner.port(.string("http"), in: container) == 8080)
        #expect(ProbeRunner.port(.int(81), in: container) == 81)
        #expect(ProbeRunner.port(.string("nope"), in: container) == nil)
    }
}
