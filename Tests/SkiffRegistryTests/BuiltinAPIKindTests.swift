import SkiffAPI
@testable import SkiffRegistry
import Testing

/// The kinds added to serve every GA API of v1.32: their defaults, validation (upstream's field
/// paths and messages), status handling, conversion and table cells.
@Suite struct BuiltinAPIKindTests {
    static let template: JSONValue = ["metadata": ["labels": ["app": "web"]], "spec": ["containers": [["name": "c", "image": "nginx"]]]]

    @Test func replicationControllersDefaultFromTheTemplateAndValidateTheSelector() async throws {
        try await withRegistry { registry in
            let controllers = try registry.store("replicationcontrollers")
            let created = try await controllers.create(namespace: "test", object: ["metadata": ["name": "rc"], "spec": ["template": Self.template],
                                                                                  "status": ["replicas": 7]])
            #expect(created[path: "spec", "selector"] == ["app": "web"])
            #expect(created[path: "spec", "replicas"] == 1)
            #expect(created.labels == ["app": "web"])
            #expect(created["status"] == ["replicas": 0])
            #expect(controllers.strategy.scalePaths != nil)
            #expect(controllers.strategy.tableCells(for: created, now: .now()).count == 8)
            let mismatch = await apiError {
                _ = try await controllers.create(namespace: "test", object: ["metadata": ["name": "bad"],
                                                                            "spec": ["selector": ["app": "other"], "template": Self.template]])
            }
            #expect(mismatch?.details?.causes.map(\.field) == ["spec.template.metadata.labels"])
            #expect(mismatch?.message.contains("selector does not match template labels") == true)
            let missing = await apiError { _ = try await controllers.create(namespace: "test", object: ["metadata": ["name": "empty"]]) }
            #expect(missing?.details?.causes.map(\.field) == ["spec.selector", "spec.template"])
        }
    }

    @Test func rbacRulesSubjectsAndAnImmutableRoleRef() async throws {
        try await withRegistry { registry in
            let roles = try registry.store("roles", group: "rbac.authorization.k8s.io")
            let noVerbs = await apiError {
                _ = try await roles.create(namespace: "test", object: ["metadata": ["name": "r"], "rules": [["apiGroups": [""], "resources": ["pods"]]]])
            }
            #expect(noVerbs?.message.hasSuffix(#" is invalid: rules[0].verbs: Required value: verbs must contain at least one value"#) == true)
            let urls = await apiError {
                _ = try await roles.create(namespace: "test", object: ["metadata": ["name": "r"], "rules": [["verbs": ["get"], "nonResourceURLs": ["/healthz"]]]])
            }
            #expect(urls?.details?.causes.map(\.field) == ["rules[0].nonResourceURLs"])
            let clusterRoles = try registry.store("clusterroles", group: "rbac.authorization.k8s.io")
            _ = try await clusterRoles.create(namespace: nil, object: ["metadata": ["name": "health"], "rules": [["verbs": ["get"], "nonResourceURLs": ["/healthz"]]]])

            let bindings = try registry.store("rolebindings", group: "rbac.authorization.k8s.io")
            let binding = try await bindings.create(namespace: "test", object: [
                "metadata": ["name": "b"], "roleRef": ["kind": "Role", "name": "reader"],
                "subjects": [["kind": "User", "name": "jane"], ["kind": "ServiceAccount", "name": "default", "namespace": "test"]],
            ])
            #expect(binding[path: "roleRef", "apiGroup"] == "rbac.authorization.k8s.io")
            #expect(binding.elements(at: "subjects").first?["apiGroup"] == "rbac.authorization.k8s.io")
            var cells = bindings.strategy.tableCells(for: binding, now: .now())
            cells.remove(at: 2)
            #expect(cells == ["b", "Role/reader", "jane", "", "test/default"])
            var changed = binding
            changed[path: "roleRef", "name"] = "writer"
            let immutable = await apiError { _ = try await bindings.update(namespace: "test", name: "b", object: changed) }
            #expect(immutable?.details?.causes.map(\.field) == ["roleRef"])
            #expect(immutable?.message.hasSuffix("cannot change roleRef") == true)
            let clusterBindings = try registry.store("clusterrolebindings", group: "rbac.authorization.k8s.io")
            let wrongKind = await apiError {
                _ = try await clusterBindings.create(namespace: nil, object: ["metadata": ["name": "cb"], "roleRef": ["kind": "Role", "name": "r"],
                                                                              "subjects": [["kind": "ServiceAccount", "name": "sa"]]])
            }
            #expect(wrongKind?.details?.causes.map(\.field) == ["roleRef.kind", "subjects[0].namespace"])
        }
    }

    @Test func ingressesNeedPathTypesAndKeepTheirStatus() async throws {
        try await withRegistry { registry in
            let ingresses = try registry.store("ingresses", group: "networking.k8s.io")
            let backend: JSONValue = ["service": ["name": "web", "port": ["number": 80]]]
            let untyped = await apiError {
                _ = try await ingresses.create(namespace: "test", object: ["metadata": ["name": "i"], "spec": [
                    "rules": [["host": "example.com", "http": ["paths": [["path": "/", "backend": backend]]]]]]])
            }
            #expect(untyped?.message.hasSuffix(#" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"#) == true)
            let created = try await ingresses.create(namespace: "test", object: ["metadata": ["name": "i"], "spec": [
                "ingressClassName": "nginx", "tls": [["hosts": ["example.com"]]],
                "rules": [["host": "example.com", "http": ["paths": [["path": "/", "pathType": "Prefix", "backend": backend]]]]]],
                "status": ["loadBalancer": ["ingress": [["ip": "1.2.3.4"]]]]])
            #expect(created["status"] == ["loadBalancer": .emptyObject])
            #expect(ingresses.strategy.tableCells(for: created, now: .now()).prefix(5) == ["i", "nginx", "example.com", "", "80, 443"])
        }
    }

    @Test func priorityClassesReserveSystemNamesAndKeepTheirValue() async throws {
        try await withRegistry { registry in
            let classes = try registry.store("priorityclasses", group: "scheduling.k8s.io")
            let reserved = await apiError { _ = try await classes.create(namespace: nil, object: ["metadata": ["name": "system-mine"], "value": 5]) }
            #expect(reserved?.message.hasSuffix(#" is invalid: metadata.name: Forbidden: priority class names with 'system-' prefix are reserved"#) == true)
            let tooHigh = await apiError { _ = try await classes.create(namespace: nil, object: ["metadata": ["name": "huge"], "value": 2_000_000_000]) }
            #expect(tooHigh?.details?.causes.map(\.field) == ["value"])
            _ = try await classes.create(namespace: nil, object: ["metadata": ["name": "system-node-critical"], "value": 2_000_001_000])
            let high = try await classes.create(namespace: nil, object: ["metadata": ["name": "high"], "value": 1000])
            #expect(high["preemptionPolicy"] == "PreemptLowerPriority")
            var changed = high
            changed["value"] = 2000
            let immutable = await apiError { _ = try await classes.update(namespace: nil, name: "high", object: changed) }
            #expect(immutable?.message.hasSuffix("value: Forbidden: may not be changed in an update.") == true)
        }
    }

    @Test func horizontalPodAutoscalersShareStorageBetweenV1AndV2() async throws {
        try await withRegistry { registry in
            let v1 = try #require(registry.store(for: GroupVersionResource(group: "autoscaling", version: "v1", resource: "horizontalpodautoscalers")))
            let v2 = try #require(registry.store(for: GroupVersionResource(group: "autoscaling", version: "v2", resource: "horizontalpodautoscalers")))
            let created = try await v1.create(namespace: "test", object: [
                "apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": ["name": "h"],
                "spec": ["scaleTargetRef": ["apiVersion": "apps/v1", "kind": "Deployment", "name": "web"], "maxReplicas": 5,
                         "targetCPUUtilizationPercentage": 60]])
            #expect(created[path: "spec", "minReplicas"] == 1)
            #expect(created["status"] == ["currentReplicas": 0, "desiredReplicas": 0])
            let stored = try await v2.get(namespace: "test", name: "h")
            #expect(stored.apiVersion == "autoscaling/v2")
            #expect(stored.elements(at: "spec", "metrics").first?[path: "resource", "target"] == ["type": "Utilization", "averageUtilization": 60])
            #expect(v2.strategy.tableCells(for: stored, now: .now())[1...4] == ["Deployment/web", "cpu: <unknown>/60%", "1", 5])
            let read = try await v1.get(namespace: "test", name: "h")
            #expect(read[path: "spec", "targetCPUUtilizationPercentage"] == 60)
            let invalid = await apiError {
                _ = try await v2.create(namespace: "test", object: ["metadata": ["name": "bad"], "spec": [
                    "scaleTargetRef": ["kind": "Deployment", "name": "web"], "minReplicas": 3, "maxReplicas": 2]])
            }
            #expect(invalid?.details?.causes.map(\.field) == ["spec.maxReplicas"])
        }
    }

    @Test func disruptionBudgetsStorageClassesAndCertificateRequests() async throws {
        try await withRegistry { registry in
            let budgets = try registry.store("poddisruptionbudgets", group: "policy")
            let both = await apiError {
                _ = try await budgets.create(namespace: "test", object: ["metadata": ["name": "p"], "spec": ["minAvailable": 1, "maxUnavailable": "50%"]])
            }
            #expect(both?.details?.causes.map(\.field) == ["spec"])
            let budget = try await budgets.create(namespace: "test", object: ["metadata": ["name": "p"], "spec": ["minAvailable": "50%"]])
            #expect(budgets.strategy.tableCells(for: budget, now: .now())[1...3] == ["50%", "N/A", 0])

            let classes = try registry.store("storageclasses", group: "storage.k8s.io")
            let local = try await classes.create(namespace: nil, object: ["metadata": ["name": "local", "annotations": [
                "storageclass.kubernetes.io/is-default-class": "true"]], "provisioner": "rancher.io/local-path"])
            #expect(local["reclaimPolicy"] == "Delete" && local["volumeBindingMode"] == "Immediate")
            #expect(classes.strategy.tableCells(for: local, now: .now())[0] == "local (default)")
            var changed = local
            changed["provisioner"] = "other"
            let immutable = await apiError { _ = try await classes.update(namespace: nil, name: "local", object: changed) }
            #expect(immutable?.message.hasSuffix("provisioner: Forbidden: updates to provisioner are forbidden.") == true)

            let requests = try registry.store("certificatesigningrequests", group: "certificates.k8s.io")
            let notPEM = await apiError {
                _ = try await requests.create(namespace: nil, object: ["metadata": ["name": "c"], "spec": [
                    "request": "aGVsbG8=", "signerName": "example.com/signer", "usages": ["client auth"]]])
            }
            #expect(notPEM?.details?.causes.map(\.field) == ["spec.request"])
            let pem = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlJQkFBPT0KLS0tLS1FTkQgQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tCg=="
            var created = try await requests.create(namespace: nil, object: ["metadata": ["name": "c"], "spec": [
                "request": .string(pem), "signerName": "example.com/signer", "usages": ["client auth"]]])
            created["status"] = ["conditions": [["type": "Approved", "status": "True"]], "certificate": "Y2VydA=="]
            let afterApproval = try await requests.update(namespace: nil, name: "c", object: created, target: .approval)
            #expect(afterApproval[path: "status"] == ["conditions": [["type": "Approved", "status": "True"]]])
            var denied = afterApproval
            denied["status"] = ["conditions": [["type": "Approved", "status": "True"], ["type": "Denied", "status": "True"]]]
            let exclusive = await apiError { _ = try await requests.update(namespace: nil, name: "c", object: denied, target: .approval) }
            #expect(exclusive?.details?.causes.map(\.field) == ["status.conditions[1].type"])
            let approved: JSONValue = ["status": ["conditions": [["type": "Approved"]], "certificate": "Y2VydA=="]]
            #expect(CertificateSigningRequestStrategy.condition(approved) == "Approved,Issued")
            #expect(requests.strategy.selectableFields == ["spec.signerName"])
        }
    }

    @Test func volumesLimitsAndNetworkPolicies() async throws {
        try await withRegistry { registry in
            let volumes = try registry.store("persistentvolumes")
            let noSource = await apiError {
                _ = try await volumes.create(namespace: nil, object: ["metadata": ["name": "pv"], "spec": ["capacity": ["storage": "1Gi"],
                                                                                                          "accessModes": ["ReadWriteOnce"]]])
            }
            #expect(noSource?.message.hasSuffix("spec: Required value: must specify a volume type") == true)
            let volume = try await volumes.create(namespace: nil, object: ["metadata": ["name": "pv"], "spec": [
                "capacity": ["storage": "1Gi"], "accessModes": ["ReadWriteOnce"], "hostPath": ["path": "/data"]], "status": ["phase": "Bound"]])
            #expect(volume["status"] == ["phase": "Pending"])
            #expect(volume[path: "spec", "persistentVolumeReclaimPolicy"] == "Retain")

            let limits = try registry.store("limitranges")
            let badType = await apiError {
                _ = try await limits.create(namespace: "test", object: ["metadata": ["name": "l"], "spec": ["limits": [["type": "Node"]]]])
            }
            #expect(badType?.details?.causes.map(\.field) == ["spec.limits[0].type"])
            let inverted = await apiError {
                _ = try await limits.create(namespace: "test", object: ["metadata": ["name": "l"], "spec": ["limits": [
                    ["type": "Container", "min": ["cpu": "2"], "max": ["cpu": "1"]]]]])
            }
            #expect(inverted?.details?.causes.map(\.field) == ["spec.limits[0].min[cpu]"])

            let policies = try registry.store("networkpolicies", group: "networking.k8s.io")
            let policy = try await policies.create(namespace: "test", object: ["metadata": ["name": "n"], "spec": [
                "podSelector": .emptyObject, "egress": [["ports": [["port": 53]]]]]])
            #expect(policy[path: "spec", "policyTypes"] == ["Ingress", "Egress"])
            #expect(policy.elements(at: "spec", "egress").first?.elements(at: "ports").first?["protocol"] == "TCP")
            #expect(policies.strategy.tableCells(for: policy, now: .now())[1] == "<none>")
        }
    }

    @Test func admissionFlowControlAndAPIServices() async throws {
        try await withRegistry { registry in
            let webhooks = try registry.store("validatingwebhookconfigurations", group: "admissionregistration.k8s.io")
            let hook = await apiError {
                _ = try await webhooks.create(namespace: nil, object: ["metadata": ["name": "w"], "webhooks": [
                    ["name": "short", "clientConfig": .emptyObject, "admissionReviewVersions": ["v1"]]]])
            }
            #expect(hook?.details?.causes.map(\.field) == ["webhooks[0].name", "webhooks[0].clientConfig", "webhooks[0].sideEffects"])
            let created = try await webhooks.create(namespace: nil, object: ["metadata": ["name": "w"], "webhooks": [
                ["name": "check.example.com", "clientConfig": ["service": ["namespace": "ns", "name": "svc"]], "sideEffects": "None",
                 "admissionReviewVersions": ["v1"], "rules": [["operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"]]]]]])
            let webhook = try #require(created.elements(at: "webhooks").first)
            #expect(webhook["failurePolicy"] == "Fail" && webhook["timeoutSeconds"] == 10 && webhook[path: "clientConfig", "service", "port"] == 443)
            #expect(webhook.elements(at: "rules").first?["scope"] == "*")

            let bindings = try registry.store("validatingadmissionpolicybindings", group: "admissionregistration.k8s.io")
            let binding = await apiError { _ = try await bindings.create(namespace: nil, object: ["metadata": ["name": "b"], "spec": .emptyObject]) }
            #expect(binding?.details?.causes.map(\.field) == ["spec.policyName", "spec.validationActions"])

            let schemas = try registry.store("flowschemas", group: "flowcontrol.apiserver.k8s.io")
            let schema = try await schemas.create(namespace: nil, object: ["metadata": ["name": "f"], "spec": ["priorityLevelConfiguration": ["name": "p"]]])
            #expect(schema[path: "spec", "matchingPrecedence"] == 1000)
            #expect(schemas.strategy.tableCells(for: schema, now: .now()).last == "?")
            let levels = try registry.store("prioritylevelconfigurations", group: "flowcontrol.apiserver.k8s.io")
            let level = try await levels.create(namespace: nil, object: ["metadata": ["name": "p"], "spec": [
                "type": "Limited", "limited": ["limitResponse": ["type": "Queue", "queuing": .emptyObject]]]])
            #expect(level[path: "spec", "limited", "nominalConcurrencyShares"] == 30)
            #expect(level[path: "spec", "limited", "limitResponse", "queuing"] == ["queues": 64, "handSize": 8, "queueLengthLimit": 50])

            let services = try registry.store("apiservices", group: "apiregistration.k8s.io")
            let misnamed = await apiError {
                _ = try await services.create(namespace: nil, object: ["metadata": ["name": "v1.wrong"], "spec": [
                    "group": "example.com", "version": "v1", "groupPriorityMinimum": 100, "versionPriority": 10]])
            }
            #expect(misnamed?.details?.causes.map(\.field) == ["metadata.name"])
        }
    }
}
