import Foundation
import SkiffAPI
import SkiffModels
import Testing

@testable import SkiffControllers

/// Upstream's replica calculation for resource metrics and its normalization.
struct ReplicaCalculatorTests {
    static let now = Timestamp(seconds: 1_700_000_000)

    /// A running, ready pod started ten minutes ago requesting `cpu`.
    static func pod(_ name: String, cpu: String = "100m", phase: String = "Running", ready: String = "True") throws -> CoreV1.Pod {
        let started = now.adding(seconds: -600).rfc3339
        let json: JSONValue = [
            "metadata": ["name": .string(name), "namespace": "default"],
            "spec": ["containers": [["name": "app", "image": "nginx", "resources": ["requests": ["cpu": .string(cpu)]]]]],
            "status": ["phase": .string(phase), "startTime": .string(started),
                       "conditions": [["type": "Ready", "status": .string(ready), "lastTransitionTime": .string(started)]]],
        ]
        return try JSONDecoder().decode(CoreV1.Pod.self, from: Data(json.serialized()))
    }

    static func metric(_ millicores: Int64) -> PodMetric {
        PodMetric(timestamp: now.adding(seconds: -5), window: .seconds(15), milliValue: millicores)
    }

    @Test func usageAboveTheTargetScalesUpByTheRatio() throws {
        let pods = [try Self.pod("a"), try Self.pod("b")]
        let proposal = try ReplicaCalculator().replicas(
            currentReplicas: 2, target: .utilization(50), resource: "cpu", container: nil, pods: pods,
            metrics: ["a": Self.metric(100), "b": Self.metric(80)], now: Self.now)
        // 180m of 200m requested: 90%, 1.8 times the target; ceil(1.8 × 2) = 4.
        #expect(proposal == ReplicaProposal(replicas: 4, utilization: 90, rawAverage: 90))
    }

    @Test func withinTheToleranceTheCountStays() throws {
        let pods = [try Self.pod("a"), try Self.pod("b")]
        let proposal = try ReplicaCalculator().replicas(
            currentReplicas: 2, target: .utilization(50), resource: "cpu", container: nil, pods: pods,
            metrics: ["a": Self.metric(52), "b": Self.metric(50)], now: Self.now)
        #expect(proposal.replicas == 2 && proposal.utilization == 51)
    }

    @Test func missingPodsCountAsFullyUsedOnAScaleDown() throws {
        let pods = [try Self.pod("a"), try Self.pod("b"), try Self.pod("c")]
        let proposal = try ReplicaCalculator().replicas(
            currentReplicas: 3, target: .utilization(50), resource: "cpu", container: nil, pods: pods,
            metrics: ["a": Self.metric(10), "b": Self.metric(10)], now: Self.now)
        // 10% first; with c at 100% of its request: 120m / 300m = 40%, ratio 0.8; ceil(0.8 × 3) = 3.
        #expect(proposal.replicas == 3 && proposal.utilization == 10)
    }

    @Test func unreadyPodsCountAsIdleOnAScaleUp() throws {
        let pods = [try Self.pod("a"), try Self.pod("b", phase: "Pending")]
        let proposal = try ReplicaCalculator().replicas(
            currentReplicas: 2, target: .utilization(50), resource: "cpu", container: nil, pods: pods,
            metrics: ["a": Self.metric(200)], now: Self.now)
        // a alone: 200%, ratio 4; with b at 0: 100%, ratio 2; ceil(2 × 2) = 4.
        #expect(proposal.replicas == 4 && proposal.utilization == 200)
    }

    @Test func anAverageValueTargetDividesTheAverageUsage() throws {
        let pods = [try Self.pod("a"), try Self.pod("b")]
        let proposal = try ReplicaCalculator().replicas(
            currentReplicas: 2, target: .averageValue(100), resource: "cpu", container: nil, pods: pods,
            metrics: ["a": Self.metric(300), "b": Self.metric(300)], now: Self.now)
        #expect(proposal == ReplicaProposal(replicas: 6, utilization: nil, rawAverage: 300))
    }

    @Test func upstreamsErrors() throws {
        let calculator = ReplicaCalculator()
        #expect(throws: ReplicaCalculationError(message: "no pods returned by selector while calculating replica count")) {
            try calculator.replicas(currentReplicas: 1, target: .utilization(50), resource: "cpu", container: nil, pods: [], metrics: [:], now: Self.now)
        }
        #expect(throws: ReplicaCalculationError(message: "did not receive metrics for targeted pods (pods might be unready)")) {
            try calculator.replicas(currentReplicas: 1, target: .utilization(50), resource: "cpu", container: nil,
                                    pods: [try Self.pod("a", phase: "Pending")], metrics: ["a": Self.metric(1)], now: Self.now)
        }
        #expect(throws: ReplicaCalculationError(message: "missing request for memory in container app of Pod a")) {
            try calculator.replicas(currentReplicas: 1, target: .utilization(50), resource: "memory", container: nil,
                                    pods: [try Self.pod("a")], metrics: ["a": Self.metric(1)], now: Self.now)
        }
    }

    @Test func withoutBehaviourAScaleDownWaitsForTheWindowAndAScaleUpAtMostDoubles() {
        let spec = AutoscalingV2.HorizontalPodAutoscalerSpec(maxReplicas: 10, minReplicas: 1,
                                                             scaleTargetRef: .init(apiVersion: "apps/v1", kind: "Deployment", name: "web"))
        let normalizer = ReplicaNormalizer()
        var entry = ScalingHistory.Entry()
        let up = normalizer.normalize(&entry, spec: spec, current: 2, desired: 9, now: Self.now)
        #expect(up.replicas == 4 && up.limited.isLimited && up.limited.reason == "ScaleUpLimit")
        var quiet = ScalingHistory.Entry()
        let steady = normalizer.normalize(&quiet, spec: spec, current: 4, desired: 4, now: Self.now)
        #expect(steady.replicas == 4 && steady.ableToScale.reason == "ReadyForNewScale" && !steady.limited.isLimited)
        let down = normalizer.normalize(&quiet, spec: spec, current: 4, desired: 1, now: Self.now.adding(seconds: 60))
        #expect(down.replicas == 4 && down.ableToScale.reason == "ScaleDownStabilized")
        let later = normalizer.normalize(&quiet, spec: spec, current: 4, desired: 1, now: Self.now.adding(seconds: 400))
        #expect(later.replicas == 1 && later.ableToScale.reason == "ReadyForNewScale")
    }

    @Test func behaviourPoliciesLimitTheRate() {
        var spec = AutoscalingV2.HorizontalPodAutoscalerSpec(maxReplicas: 20, minReplicas: 1,
                                                             scaleTargetRef: .init(apiVersion: "apps/v1", kind: "Deployment", name: "web"))
        spec.behavior = AutoscalingV2.HorizontalPodAutoscalerBehavior(
            scaleDown: .init(policies: [.init(periodSeconds: 60, type: "Pods", value: 1)], selectPolicy: "Max", stabilizationWindowSeconds: 0),
            scaleUp: .init(policies: [.init(periodSeconds: 15, type: "Pods", value: 4), .init(periodSeconds: 15, type: "Percent", value: 100)],
                           selectPolicy: "Max", stabilizationWindowSeconds: 0))
        let normalizer = ReplicaNormalizer()
        var entry = ScalingHistory.Entry()
        // Up from 1: max(1 + 4, 1 × 2) = 5.
        let up = normalizer.normalize(&entry, spec: spec, current: 1, desired: 12, now: Self.now)
        #expect(up.replicas == 5 && up.limited == (true, "ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate"))
        ReplicaNormalizer.recordScale(&entry, from: 1, to: 5, at: Self.now, longestPeriod: .seconds(60))
        // Within the same 15 s the period started at 1 replica: still at most 5.
        let again = normalizer.normalize(&entry, spec: spec, current: 5, desired: 12, now: Self.now.adding(seconds: 5))
        #expect(again.replicas == 5)
        // Down by at most one pod a minute.
        let down = normalizer.normalize(&entry, spec: spec, current: 5, desired: 1, now: Self.now.adding(seconds: 100))
        #expect(down.replicas == 4 && down.limited.reason == "ScaleDownLimit")
    }
}
