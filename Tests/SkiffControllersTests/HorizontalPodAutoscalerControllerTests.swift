import SkiffAPI
import SkiffClient
import SkiffTesting
import Testing

/// The autoscaler without a metrics API: bounds enforced, metrics reported missing as upstream.
struct HorizontalPodAutoscalerControllerTests {
    static func autoscalers(_ cluster: InProcessCluster) -> ResourceClient<JSONValue> {
        cluster.resource(GroupVersionResource(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers"), namespace: "default")
    }

    static func autoscaler(_ name: String, minReplicas: Int64, maxReplicas: Int64) -> JSONValue {
        [
            "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": ["name": .string(name), "namespace": "default"],
            "spec": [
                "scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": .string(name)],
                "minReplicas": .int(minReplicas), "maxReplicas": .int(maxReplicas),
                "metrics": [["type": "Resource", "resource": ["name": "cpu", "target": ["type": "Utilization", "averageUtilization": 50]]]],
            ],
        ]
    }

    static func condition(_ type: String, of autoscaler: JSONValue) -> JSONValue? {
        autoscaler[path: "status", "conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }
    }

    @Test func withinBoundsTheMissingMetricsAreReported() async throws {
        try await InProcessCluster.withControllers(controllers: [.horizontalPodAutoscaler]) { cluster in
            _ = try await cluster.resource(GroupVersionResource(group: "apps", version: "v1", resource: "deployments"), namespace: "default")
                .create(InProcessCluster.deployment("web", replicas: 2))
            _ = try await Self.autoscalers(cluster).create(Self.autoscaler("web", minReplicas: 1, maxReplicas: 5))
            let message = "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: "
                + "the server could not find the requested resource (get pods.metrics.k8s.io)"
            try await waitUntil("the metrics reported missing") {
                let autoscaler = try await Self.autoscalers(cluster).get("web")
                return Self.condition("ScalingActive", of: autoscaler)?["message"] == .string("the HPA was unable to compute the replica count: " + message)
            }
            let autoscaler = try await Self.autoscalers(cluster).get("web")
            #expect(Self.condition("ScalingActive", of: autoscaler)?["reason"] == "FailedGetResourceMetric")
            #expect(Self.condition("ScalingActive", of: autoscaler)?["status"] == "False")
            #expect(Self.condition("AbleToScale", of: autoscaler)?["reason"] == "SucceededGetScale")
            #expect(autoscaler[path: "status", "currentReplicas"] == 2 && autoscaler[path: "status", "currentMetrics"] == [["type": ""]])
            let reasons = try await cluster.eventReasons(about: "web")
            #expect(reasons.contains("FailedGetResourceMetric") && reasons.contains("FailedComputeMetricsReplicas"))
        }
    }

    @Test func aTargetOutsideTheBoundsIsRescaled() async throws {
        try await InProcessCluster.withControllers(controllers: [.horizontalPodAutoscaler]) { cluster in
            let deployments = cluster.resource(GroupVersionResource(group: "apps", version: "v1", resource: "deployments"), namespace: "default")
            _ = try await deployments.create(InProcessCluster.deployment("web", replicas: 6))
            _ = try await Self.autoscalers(cluster).create(Self.autoscaler("web", minReplicas: 1, maxReplicas: 3))
            try await waitUntil("the deployment scaled to the maximum") {
                try await deployments.get("web")[path: "spec", "replicas"] == 3
            }
            // The next pass finds the target in range (currentReplicas 3, AbleToScale back to SucceededGetScale).
            try await waitUntil("the status written") {
                let status = try await Self.autoscalers(cluster).get("web")["status"]
                return status?["desiredReplicas"] == 3 && status?["lastScaleTime"] != nil
            }
            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the SuccessfulRescale event") {
                try await cluster.events().list().items.contains { $0["reason"] == "SuccessfulRescale" }
            }
            let events = try await cluster.events().list().items.filter { $0["reason"] == "SuccessfulRescale" }
            #expect(events.first?["message"] == "New size: 3; reason: Current number of replicas above Spec.MaxReplicas")
        }
    }
}
