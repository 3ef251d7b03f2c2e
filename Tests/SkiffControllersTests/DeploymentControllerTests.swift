import SkiffAPI
import SkiffClient
import SkiffControllers
import SkiffTesting
import Testing

/// Deployments roll out through ReplicaSets: bounds of a rolling update, Recreate, scaling
/// mid-rollout, pausing, revisions with rollback and history cleanup, the progress deadline.
/// Pods are made ready by the tests, as a kubelet would.
struct DeploymentControllerTests {
    static let controllers: [ControllerDescriptor] = [.replicaSet, .deployment]
    static let revision = "deployment.kubernetes.io/revision"

    @Test func rollingUpdateStaysWithinSurgeAndUnavailability() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 1, "maxUnavailable": 1]]
            let created = try await cluster.deployments().create(InProcessCluster.deployment("web", replicas: 4, strategy: strategy))
            let complete = try await cluster.completeRollout("web")
            let first = try #require(try await cluster.replicaSets(of: created).first)
            let hash = try #require(first.labels["pod-template-hash"])
            #expect(first.name == "web-\(hash)")
            #expect(first[path: "spec", "selector", "matchLabels"] == ["app": "web", "pod-template-hash": .string(hash)])
            #expect(first[path: "spec", "template", "metadata", "labels", "pod-template-hash"] == .string(hash))
            #expect(first.controllerReference?["kind"] == "Deployment" && first.controllerReference?["blockOwnerDeletion"] == true)
            #expect(first.annotations[Self.revision] == "1" && complete.annotations[Self.revision] == "1")
            #expect(first.annotations["deployment.kubernetes.io/desired-replicas"] == "4")
            #expect(first.annotations["deployment.kubernetes.io/max-replicas"] == "5")
            #expect(InProcessCluster.condition("Available", of: complete)?["reason"] == "MinimumReplicasAvailable")
            #expect(InProcessCluster.condition("Progressing", of: complete)?["reason"] == "NewReplicaSetAvailable")
            #expect(InProcessCluster.condition("Progressing", of: complete)?["message"] == .string("ReplicaSet \"web-\(hash)\" has successfully progressed."))

            try await cluster.setImage("web", "nginx:2")
            try await waitUntil("the rollout to nginx:2") {
                let sets = try await cluster.replicaSets(of: created)
                // Never more than 4 + 1 replicas wanted, never fewer than 4 - 1 ready.
                #expect(sets.reduce(0) { $0 + ($1[path: "spec", "replicas"]?.intValue ?? 0) } <= 5)
                #expect(try await cluster.livePods("app=web").filter(\.isReady).count >= 3)
                try await cluster.makePodsReady("app=web", limit: 1)
                return InProcessCluster.isRolledOut(try await cluster.deployments().get("web")) && sets.count == 2
            }
            let sets = try await cluster.replicaSets(of: created)
            #expect(sets.map { $0[path: "spec", "replicas"] } == [0, 4])
            #expect(sets.map { $0.annotations[Self.revision] } == ["1", "2"])
            #expect(try await cluster.deployments().get("web").annotations[Self.revision] == "2")
            let pods = try await cluster.livePods("app=web")
            #expect(pods.count == 4 && pods.allSatisfy { $0.labels["pod-template-hash"] == sets[1].labels["pod-template-hash"] })
            // Events are written after the fact, as upstream's recorder writes them.
            try await waitUntil("the scaling events") {
                let messages = try await cluster.events(about: "web").filter { $0.reason == "ScalingReplicaSet" }.map(\.message)
                return messages.contains("Scaled up replica set web-\(hash) from 0 to 4")
                    && messages.contains { $0.hasPrefix("Scaled down replica set web-\(hash) from 4 to") }
            }
        }
    }

    @Test func recreateStopsOldPodsBeforeStartingNewOnes() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            let created = try await cluster.deployments().create(InProcessCluster.deployment("db", replicas: 2, strategy: ["type": "Recreate"]))
            try await cluster.completeRollout("db")
            let old = try #require(try await cluster.replicaSets(of: created).first)
            let oldHash = old.labels["pod-template-hash"] ?? ""
            try await cluster.setImage("db", "postgres:2")
            try await waitUntil("the recreated rollout") {
                let pods = try await cluster.pods().list(ListOptions(labelSelector: "app=db")).items
                let oldPods = pods.filter { $0.labels["pod-template-hash"] == oldHash }
                #expect(oldPods.isEmpty || oldPods.count == pods.count, "new pods while old ones exist")
                try await cluster.makePodsReady("app=db")
                let sets = try await cluster.replicaSets(of: created)
                return InProcessCluster.isRolledOut(try await cluster.deployments().get("db")) && sets.count == 2
            }
            #expect(try await cluster.replicaSets(of: created).map { $0[path: "spec", "replicas"] } == [0, 2])
        }
    }

    @Test func scalingMidRolloutIsProportional() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            let strategy: JSONValue = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": 3, "maxUnavailable": 2]]
            let created = try await cluster.deployments().create(InProcessCluster.deployment("api", replicas: 10, strategy: strategy))
            try await cluster.completeRollout("api")
            let oldHash = try await cluster.replicaSets(of: created).first?.labels["pod-template-hash"] ?? ""
            // The new pods never become ready: the rollout stops at 8 old and 5 new.
            try await cluster.setImage("api", "api:broken")
            try await waitUntil("the rollout stuck at 8 + 5") {
                let sets = try await cluster.replicaSets(of: created)
                return sets.map { $0[path: "spec", "replicas"] } == [8, 5] && sets[0][path: "status", "availableReplicas"] == 8
            }
            _ = try await cluster.deployments().patch("api", type: .merge, patch: ["spec": ["replicas": 30]])
            try await waitUntil("33 replicas spread 20 + 13") {
                try await cluster.replicaSets(of: created).map { $0[path: "spec", "replicas"] } == [20, 13]
            }
            for replicaSet in try await cluster.replicaSets(of: created) {
                #expect(replicaSet.annotations["deployment.kubernetes.io/desired-replicas"] == "30")
                #expect(replicaSet.annotations["deployment.kubernetes.io/max-replicas"] == "33")
            }
            try await waitUntil("the proportional scaling event") {
                try await cluster.events(about: "api").contains { $0.message == "Scaled up replica set api-\(oldHash) from 8 to 20" }
            }
        }
    }

    @Test func pausedDeploymentsScaleButDoNotRollOut() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            let created = try await cluster.deployments().create(InProcessCluster.deployment("web", replicas: 2))
            try await cluster.completeRollout("web")
            _ = try await cluster.deployments().patch("web", type: .merge, patch: ["spec": ["paused": true]])
            try await cluster.setImage("web", "nginx:2")
            _ = try await cluster.deployments().patch("web", type: .merge, patch: ["spec": ["replicas": 3]])
            try await waitUntil("the paused deployment scaled") {
                let deployment = try await cluster.deployments().get("web")
                let sets = try await cluster.replicaSets(of: created)
                return deployment[path: "status", "observedGeneration"] == deployment["metadata"]?["generation"]
                    && sets.map { $0[path: "spec", "replicas"] } == [3]
            }
            let paused = try await cluster.deployments().get("web")
            let condition = InProcessCluster.condition("Progressing", of: paused)
            #expect(condition?["status"] == "Unknown" && condition?["reason"] == "DeploymentPaused")
            #expect(condition?["message"] == "Deployment is paused")

            _ = try await cluster.deployments().patch("web", type: .merge, patch: ["spec": ["paused": false]])
            try await waitUntil("the resumed rollout") {
                try await cluster.makePodsReady("app=web")
                let sets = try await cluster.replicaSets(of: created)
                return InProcessCluster.isRolledOut(try await cluster.deployments().get("web"))
                    && sets.map { $0[path: "spec", "replicas"] } == [0, 3]
            }
            try await waitUntil("the scaling events") { !(try await cluster.events(about: "web")).isEmpty }
            let reasons = try await cluster.events(about: "web").map(\.reason)
            #expect(Set(reasons) == ["ScalingReplicaSet"])
        }
    }

    @Test func rollbackReusesTheOldReplicaSetAndHistoryIsLimited() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            var spec = InProcessCluster.deployment("web", replicas: 1)
            spec[path: "spec", "revisionHistoryLimit"] = 1
            let created = try await cluster.deployments().create(spec)
            try await cluster.completeRollout("web")
            _ = try await cluster.deployments().patch(
                "web", type: .merge, patch: ["metadata": ["annotations": ["kubernetes.io/change-cause": "to nginx:2"]]])
            try await cluster.setImage("web", "nginx:2")
            try await waitUntil("revision 2") {
                try await cluster.makePodsReady("app=web")
                let deployment = try await cluster.deployments().get("web")
                return InProcessCluster.isRolledOut(deployment) && deployment.annotations[Self.revision] == "2"
            }
            let second = try #require(try await cluster.replicaSets(of: created).last)
            #expect(second.annotations["kubernetes.io/change-cause"] == "to nginx:2")
            try await cluster.setImage("web", "nginx:3")
            try await waitUntil("revision 3, revision 1 cleaned up") {
                try await cluster.makePodsReady("app=web")
                let revisions = try await cluster.replicaSets(of: created).map { $0.annotations[Self.revision] }
                return InProcessCluster.isRolledOut(try await cluster.deployments().get("web")) && revisions == ["2", "3"]
            }

            // What `kubectl rollout undo` does: the template of revision 2, without the hash label.
            var template = try #require(second[path: "spec", "template"])
            template[path: "metadata", "labels", "pod-template-hash"] = nil
            _ = try await cluster.deployments().patch("web", type: .json, patch: [["op": "replace", "path": "/spec/template", "value": template]])
            try await waitUntil("revision 2 back as revision 4") {
                try await cluster.makePodsReady("app=web")
                let deployment = try await cluster.deployments().get("web")
                return InProcessCluster.isRolledOut(deployment) && deployment.annotations[Self.revision] == "4"
            }
            let sets = try await cluster.replicaSets(of: created)
            #expect(sets.count == 2 && sets.last?.name == second.name)
            #expect(sets.last?.annotations[Self.revision] == "4")
            #expect(sets.last?.annotations["deployment.kubernetes.io/revision-history"] == "2")
            #expect(sets.last?[path: "spec", "replicas"] == 1)
        }
    }

    @Test func progressDeadlineExceeded() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            var spec = InProcessCluster.deployment("slow", replicas: 1)
            spec[path: "spec", "progressDeadlineSeconds"] = 1
            let created = try await cluster.deployments().create(spec)
            try await waitUntil("the deadline exceeded") {
                let condition = InProcessCluster.condition("Progressing", of: try await cluster.deployments().get("slow"))
                return condition?["reason"] == "ProgressDeadlineExceeded"
            }
            let deployment = try await cluster.deployments().get("slow")
            let name = try #require(try await cluster.replicaSets(of: created).first?.name)
            let progressing = InProcessCluster.condition("Progressing", of: deployment)
            #expect(progressing?["status"] == "False")
            #expect(progressing?["message"] == .string("ReplicaSet \"\(name)\" has timed out progressing."))
            let available = InProcessCluster.condition("Available", of: deployment)
            #expect(available?["status"] == "False" && available?["reason"] == "MinimumReplicasUnavailable")
            #expect(deployment[path: "status", "unavailableReplicas"] == 1)
        }
    }

    /// On a manual clock: until the pod is counted ready the controllers' time moves a millisecond
    /// a check (enough for their retries, far from the 3 s), then a second a check.
    @Test func availabilityWaitsForMinReadySeconds() async throws {
        let clock = ManualClock(start: .now())
        try await InProcessCluster.withControllers(controllers: Self.controllers, configure: { $0.clock = clock }) { cluster in
            var spec = InProcessCluster.deployment("web", replicas: 1)
            spec[path: "spec", "minReadySeconds"] = 3
            let created = try await cluster.deployments().create(spec)
            try await waitUntil("a pod", advancing: clock, by: .milliseconds(1)) { try await cluster.livePods("app=web").count == 1 }
            try await cluster.makePodsReady("app=web")
            try await waitUntil("the pod counted ready", advancing: clock, by: .milliseconds(1)) {
                try await cluster.deployments().get("web")[path: "status", "readyReplicas"] == 1
            }
            let ready = try await cluster.deployments().get("web")
            #expect(ready[path: "status", "availableReplicas"] == nil)
            #expect(InProcessCluster.condition("Available", of: ready)?["reason"] == "MinimumReplicasUnavailable")
            #expect(try await cluster.replicaSets(of: created).first?[path: "spec", "minReadySeconds"] == 3)
            try await waitUntil("available after minReadySeconds", advancing: clock, by: .seconds(1)) {
                let deployment = try await cluster.deployments().get("web")
                return InProcessCluster.condition("Available", of: deployment)?["reason"] == "MinimumReplicasAvailable"
                    && InProcessCluster.isRolledOut(deployment)
            }
        }
    }

    @Test func adoptsMatchingReplicaSetsAndReleasesStrayOnes() async throws {
        try await InProcessCluster.withControllers(controllers: Self.controllers) { cluster in
            let spec = InProcessCluster.deployment("web", replicas: 2)
            // An orphan ReplicaSet with the Deployment's template becomes its new set.
            let orphan: JSONValue = [
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": ["name": "web-manual", "namespace": "default", "labels": ["app": "web"]],
                "spec": ["replicas": 0, "selector": ["matchLabels": ["app": "web"]], "template": spec[path: "spec", "template"] ?? .null],
            ]
            _ = try await cluster.replicaSets().create(orphan)
            // The ReplicaSet controller has seen it, so the shared cache has it.
            try await waitUntil("the orphan observed") {
                try await cluster.replicaSets().get("web-manual")[path: "status", "observedGeneration"] == 1
            }
            let created = try await cluster.deployments().create(spec)
            try await cluster.completeRollout("web")
            let sets = try await cluster.replicaSets(of: created)
            #expect(sets.map(\.name) == ["web-manual"])
            #expect(sets.first?[path: "spec", "replicas"] == 2 && sets.first?.annotations[Self.revision] == "1")

            // A set whose labels stop matching is released.
            _ = try await cluster.replicaSets().patch("web-manual", type: .merge, patch: ["metadata": ["labels": ["app": "other"]]])
            try await waitUntil("the set released") { try await cluster.replicaSets().get("web-manual").ownerReferences.isEmpty }
        }
    }

    @Test func replicaFailuresOfTheSetsAreReported() async throws {
        // Without the ReplicaSet controller, which would clear a failure it did not meet: the
        // test plays its part, writing the set's status by hand.
        try await InProcessCluster.withControllers(controllers: [.deployment]) { cluster in
            let created = try await cluster.deployments().create(InProcessCluster.deployment("web", replicas: 1))
            try await waitUntil("the set created") { try await !cluster.replicaSets(of: created).isEmpty }
            var available = try #require(try await cluster.replicaSets(of: created).first)
            available["status"] = ["replicas": 1, "fullyLabeledReplicas": 1, "readyReplicas": 1, "availableReplicas": 1, "observedGeneration": 1]
            _ = try await cluster.replicaSets().updateStatus(available)
            try await waitUntil("the rollout complete") {
                InProcessCluster.isRolledOut(try await cluster.deployments().get("web"))
            }
            var replicaSet = try #require(try await cluster.replicaSets(of: created).first)
            let failure: JSONValue = [
                "type": "ReplicaFailure", "status": "True", "reason": "FailedCreate", "message": "pods \"web\" is forbidden: exceeded quota",
                "lastTransitionTime": .string(Timestamp.now().rfc3339),
            ]
            replicaSet[path: "status", "conditions"] = [failure]
            _ = try await cluster.replicaSets().updateStatus(replicaSet)
            try await waitUntil("the failure reported") {
                InProcessCluster.condition("ReplicaFailure", of: try await cluster.deployments().get("web"))?["reason"] == "FailedCreate"
            }
            let reported = try #require(InProcessCluster.condition("ReplicaFailure", of: try await cluster.deployments().get("web")))
            #expect(reported["message"] == failure["message"] && reported["lastUpdateTime"] == failure["lastTransitionTime"])

            replicaSet = try await cluster.replicaSets().get(replicaSet.name ?? "")
            replicaSet[path: "status", "conditions"] = nil
            _ = try await cluster.replicaSets().updateStatus(replicaSet)
            try await waitUntil("the failure gone") {
                InProcessCluster.condition("ReplicaFailure", of: try await cluster.deployments().get("web")) == nil
            }
        }
    }
}

