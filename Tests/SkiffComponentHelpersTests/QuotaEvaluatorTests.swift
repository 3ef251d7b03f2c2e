import SkiffAPI
import SkiffComponentHelpers
import Testing

/// Quota arithmetic: canonical quantities, pod usage, scopes.
struct QuotaEvaluatorTests {
    private let pods = GroupResource(group: "", resource: "pods")

    @Test func canonicalQuantities() {
        func canonical(_ text: String, binary: Bool) -> String { ResourceQuantity(.string(text))!.canonical(binary: binary) }
        #expect(canonical("1000m", binary: false) == "1")
        #expect(canonical("1.5", binary: false) == "1500m")
        #expect(canonical("2000", binary: false) == "2k")
        #expect(canonical("0", binary: false) == "0")
        #expect(canonical("1024Mi", binary: true) == "1Gi")
        #expect(canonical("1.5Gi", binary: true) == "1536Mi")
        #expect(canonical("100", binary: true) == "100")
    }

    @Test func podUsageSumsContainersAndKeepsFormats() {
        let pod: JSONValue = ["spec": [
            "containers": [
                ["name": "a", "resources": ["requests": ["cpu": "250m", "memory": "128Mi"], "limits": ["memory": "256Mi"]]],
                ["name": "b", "resources": ["requests": ["cpu": "250m", "memory": "128Mi"]]],
            ],
            "initContainers": [["name": "setup", "resources": ["requests": ["cpu": "2"]]]],
        ]]
        let usage = QuotaEvaluator.usage(of: pod, resource: pods)
        #expect(usage.json == [
            "count/pods": "1", "pods": "1", "cpu": "2", "requests.cpu": "2", "memory": "256Mi", "requests.memory": "256Mi",
            "limits.memory": "256Mi",
        ])
        var finished = pod
        finished["status"] = ["phase": "Succeeded"]
        #expect(QuotaEvaluator.usage(of: finished, resource: pods).json == ["count/pods": "1"])
        #expect(QuotaEvaluator.unmetConstraints(of: pod, resource: pods, restricted: ["limits.cpu", "pods"])
                == "must specify limits.cpu for: a,b,setup")
    }

    @Test func scopesSelectPods() {
        let bestEffort: JSONValue = ["spec": ["containers": [["name": "a"]], "activeDeadlineSeconds": 30]]
        let burstable: JSONValue = ["spec": ["containers": [["name": "a", "resources": ["requests": ["cpu": "1"]]]], "priorityClassName": "high"]]
        func quota(_ scopes: [JSONValue], selector: JSONValue? = nil) -> JSONValue {
            var quota: JSONValue = ["spec": ["scopes": .array(scopes)]]
            if let selector { quota[path: "spec", "scopeSelector"] = ["matchExpressions": [selector]] }
            return quota
        }
        #expect(QuotaScopes.select(bestEffort, resource: pods, quota: quota(["BestEffort", "Terminating"])))
        #expect(!QuotaScopes.select(burstable, resource: pods, quota: quota(["BestEffort"])))
        #expect(QuotaScopes.select(burstable, resource: pods, quota: quota(["NotBestEffort", "NotTerminating"])))
        let high: JSONValue = ["scopeName": "PriorityClass", "operator": "In", "values": ["high"]]
        #expect(QuotaScopes.select(burstable, resource: pods, quota: quota([], selector: high)))
        #expect(!QuotaScopes.select(bestEffort, resource: pods, quota: quota([], selector: high)))
        #expect(!QuotaScopes.select(["metadata": ["name": "c"]], resource: GroupResource(group: "", resource: "configmaps"), quota: quota(["BestEffort"])))
    }

    @Test func quotaNamesMatchTheirResources() {
        let names: Set<String> = ["pods", "count/pods", "requests.cpu", "services", "count/deployments.apps", "configmaps"]
        #expect(QuotaEvaluator.matchingResources(names, resource: pods) == ["pods", "count/pods", "requests.cpu"])
        #expect(QuotaEvaluator.matchingResources(names, resource: GroupResource(group: "apps", resource: "deployments")) == ["count/deployments.apps"])
        #expect(QuotaEvaluator.matchingResources(names, resource: GroupResource(group: "", resource: "configmaps")) == ["configmaps"])
    }
}
