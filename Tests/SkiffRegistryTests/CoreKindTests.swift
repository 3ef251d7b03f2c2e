import SkiffAPI
import SkiffStorage
@testable import SkiffRegistry
import Testing

@Suite struct CoreKindTests {
    @Test func resourceDescriptions() {
        // autoscaling/v1 and v2 serve the same resource; the first registered (v2) is kept.
        let infos = Dictionary(BuiltinResources.entries(storage: MemoryStorage()).map { ("\($0.info.group)/\($0.info.plural)", $0.info) },
                               uniquingKeysWith: { first, _ in first })
        #expect(infos.count == 52)
        #expect(infos["/namespaces"]?.verbs.contains("deletecollection") == false)
        #expect(infos["/pods"]?.shortNames == ["po"])
        #expect(infos["/pods"]?.subresources == [.status, .binding, .eviction])
        #expect(infos["/bindings"]?.verbs == ["create"])
        #expect(infos["apps/deployments"]?.categories == ["all"])
        #expect(infos["/configmaps"]?.categories == [])
        #expect(infos["apiextensions.k8s.io/customresourcedefinitions"]?.shortNames == ["crd", "crds"])
        #expect(infos["events.k8s.io/events"]?.keyPrefix == infos["/events"]?.keyPrefix)
    }

    @Test func namespacesStartActiveAndTerminateUntilFinalized() async throws {
        try await withRegistry { registry in
            let namespaces = try registry.store("namespaces")
            let created = try await namespaces.create(namespace: nil, object: ["metadata": ["name": "doomed"], "spec": ["finalizers": ["example.com/cleanup"]]])
            #expect(created[path: "spec", "finalizers"] == ["example.com/cleanup", "kubernetes"])
            #expect(created[path: "status", "phase"] == "Active")
            #expect(created.labels == ["kubernetes.io/metadata.name": "doomed"])
            #expect(namespaces.strategy.tableCells(for: created, now: .now())[1] == "Active")
            // The main resource cannot change the finalizers.
            var edited = created
            edited[path: "spec", "finalizers"] = []
            #expect(try await namespaces.update(namespace: nil, name: "doomed", object: edited)[path: "spec", "finalizers"] == created[path: "spec", "finalizers"])
            guard case .pending(let terminating) = try await namespaces.delete(namespace: nil, name: "doomed") else {
                Issue.record("deleted at once")
                return
            }
            #expect(terminating[path: "status", "phase"] == "Terminating")
            var finalized = terminating
            finalized[path: "spec", "finalizers"] = []
            _ = try await namespaces.update(namespace: nil, name: "doomed", object: finalized, target: .finalize)
            await #expect(throws: APIError.self) { try await namespaces.get(namespace: nil, name: "doomed") }
            let dotted = await apiError { _ = try await namespaces.create(namespace: nil, object: ["metadata": ["name": "a.b"]]) }
            #expect(dotted?.details?.causes.first?.field == "metadata.name")
        }
    }

    @Test func secretsMergeStringDataAndCheckTypes() async throws {
        try await withRegistry { registry in
            let secrets = try registry.store("secrets")
            let created = try await secrets.create(namespace: "test", object: ["metadata": ["name": "s"], "data": ["a": "YQ=="], "stringData": ["b": "hello"]])
            #expect(created["type"] == "Opaque")
            #expect(created["data"] == ["a": "YQ==", "b": "aGVsbG8="])
            #expect(created["stringData"] == nil)
            #expect(secrets.strategy.tableCells(for: created, now: .now())[1...2] == ["Opaque", 2])
            let tls = await apiError { _ = try await secrets.create(namespace: "test", object: ["metadata": ["name": "t"], "type": "kubernetes.io/tls"]) }
            #expect(tls?.message == #"Secret "t" is invalid: [data[tls.crt]: Required value, data[tls.key]: Required value]"#)
            var retyped = created
            retyped["type"] = "kubernetes.io/basic-auth"
            retyped["data"] = ["username": "dQ=="]
            let immutable = await apiError { _ = try await secrets.update(namespace: "test", name: "s", object: retyped) }
            #expect(immutable?.details?.causes.map(\.field) == ["type"])
            #expect(secrets.strategy.fieldValues(of: created) == ["type": "Opaque"])
        }
    }

    @Test func configMapKeysAndImmutability() async throws {
        try await withRegistry { registry in
            let configMaps = try registry.configMaps
            let badKey = await apiError { _ = try await configMaps.create(namespace: "test", object: ["metadata": ["name": "c"], "data": ["a/b": "x"]]) }
            #expect(badKey?.details?.causes.first?.field == "data[a/b]")
            let frozen = try await configMaps.create(namespace: "test", object: ["metadata": ["name": "f"], "data": ["k": "v"], "immutable": true])
            var changed = frozen
            changed["data"] = ["k": "w"]
            let error = await apiError { _ = try await configMaps.update(namespace: "test", name: "f", object: changed) }
            #expect(error?.message == #"ConfigMap "f" is invalid: data: Forbidden: field is immutable when `immutable` is set"#)
        }
    }

    @Test func eventsAreSharedBetweenBothAPIs() async throws {
        try await withRegistry { registry in
            let core = try registry.store("events")
            let modern = try registry.store("events", group: "events.k8s.io")
            let legacy = try await core.create(namespace: "test", object: [
                "metadata": ["name": "e1"], "involvedObject": ["kind": "Pod", "name": "p", "namespace": "test"], "reason": "Started",
                "message": "Started container\n", "type": "Normal", "count": 2, "source": ["component": "kubelet", "host": "n1"],
                "firstTimestamp": .string(ago(600)), "lastTimestamp": .string(ago(30)),
            ])
            #expect(legacy["eventTime"] == .null)
            #expect(legacy["reportingComponent"] == "")
            #expect(Array(core.strategy.tableCells(for: legacy, now: .now())) == [
                "30s", "Normal", "Started", "pod/p", "", "kubelet, n1", "Started container", "10m", 2, "e1",
            ])
            #expect(core.strategy.fieldValues(of: legacy)["source"] == "kubelet")
            let seen = try await modern.get(namespace: "test", name: "e1")
            #expect(seen.apiVersion == "events.k8s.io/v1")
            #expect(seen["regarding"] == ["kind": "Pod", "name": "p", "namespace": "test"])
            #expect(seen["note"] == "Started container\n")
            #expect(seen["deprecatedCount"] == 2)
            #expect(seen["reportingController"] == nil)
            #expect(seen["eventTime"] == .null)
            #expect(modern.strategy.fieldValues(of: seen)["regarding.name"] == "p")
            #expect(modern.strategy.tableCells(for: seen, now: .now())[3] == "pod/p")

            let mismatched = await apiError {
                _ = try await core.create(namespace: "test", object: ["metadata": ["name": "e9"], "involvedObject": ["kind": "Pod", "name": "p"]])
            }
            #expect(mismatched?.message == #"Event "e9" is invalid: involvedObject.namespace: Invalid value: "": does not match event.namespace"#)
            let old = await apiError {
                _ = try await modern.create(namespace: "test", object: ["metadata": ["name": "e3"], "regarding": ["kind": "Pod", "name": "n", "namespace": "test"],
                                                                        "reason": "Ready", "type": "Normal", "deprecatedCount": 1])
            }
            #expect(old?.details?.causes.map(\.field) == ["eventTime", "deprecatedCount"])
            _ = try await modern.create(namespace: "test", object: [
                "metadata": ["name": "e2"], "regarding": ["kind": "Pod", "name": "n", "namespace": "test"], "reason": "Ready", "note": "ready",
                "type": "Normal", "eventTime": "2026-01-01T00:00:00.000000Z", "reportingController": "skiff.dev/controller", "reportingInstance": "i", "action": "Check",
            ])
            let stored = try await core.get(namespace: "test", name: "e2")
            #expect(stored.apiVersion == "v1")
            #expect(stored["involvedObject"] == ["kind": "Pod", "name": "n", "namespace": "test"])
            #expect(stored["message"] == "ready")
            #expect(stored["reportingComponent"] == "skiff.dev/controller")
            var options = ListOptions()
            options.resourceVersion = "0"
            try await core.cache.waitUntilFresh(try await registry.storage.currentRevision())
            #expect(try await core.list(namespace: "test", options: options).items.count == 2)
        }
    }

    @Test func nodeDefaultsAndTable() async throws {
        try await withRegistry { registry in
            let nodes = try registry.store("nodes")
            let node = try await nodes.create(namespace: nil, object: [
                "metadata": ["name": "n1", "labels": ["node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "edge"]],
                "spec": ["unschedulable": true, "podCIDR": "10.244.0.0/24"],
                "status": ["capacity": ["cpu": "2"], "conditions": [["type": "Ready", "status": "True"]],
                           "addresses": [["type": "InternalIP", "address": "192.168.1.10"], ["type": "InternalIP", "address": "192.168.1.11"]],
                           "nodeInfo": ["kubeletVersion": "v1.32.0", "osImage": "Debian"]],
            ])
            #expect(node[path: "spec", "podCIDRs"] == ["10.244.0.0/24"])
            #expect(node[path: "status", "allocatable"] == ["cpu": "2"])
            #expect(node[path: "status", "daemonEndpoints"] == ["kubeletEndpoint": ["Port": 0]])
            #expect(node[path: "status", "nodeInfo", "machineID"] == "")
            #expect(Array(nodes.strategy.tableCells(for: node, now: .now())) == [
                "n1", "Ready,SchedulingDisabled", "control-plane,edge", "0s", "v1.32.0", "192.168.1.10", "<none>", "Debian", "<unknown>", "<unknown>",
            ])
            #expect(nodes.strategy.fieldValues(of: node) == ["spec.unschedulable": "true"])
        }
    }

    @Test func claimsEndpointsAndSlices() async throws {
        try await withRegistry { registry in
            let claims = try registry.store("persistentvolumeclaims")
            let missing = await apiError { _ = try await claims.create(namespace: "test", object: ["metadata": ["name": "c"], "spec": .emptyObject]) }
            #expect(missing?.message == #"PersistentVolumeClaim "c" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]"#)
            let claim = try await claims.create(namespace: "test", object: ["metadata": ["name": "c"],
                "spec": ["accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "1Gi"]], "storageClassName": "standard"]])
            #expect(claim[path: "status", "phase"] == "Pending")
            #expect(claim[path: "spec", "volumeMode"] == "Filesystem")
            #expect(Array(claims.strategy.tableCells(for: claim, now: .now())[1...6]) == ["Pending", "", "", "", "standard", "<unset>"])
            var bound = claim
            bound[path: "spec", "volumeName"] = "pv-1"
            bound["status"] = ["phase": "Bound", "accessModes": ["ReadWriteMany", "ReadWriteOnce"], "capacity": ["storage": "1Gi"]]
            #expect(Array(claims.strategy.tableCells(for: bound, now: .now())[1...4]) == ["Bound", "pv-1", "1Gi", "RWO,RWX"])
            var resized = claim
            resized[path: "spec", "accessModes"] = ["ReadWriteMany"]
            let immutable = await apiError { _ = try await claims.update(namespace: "test", name: "c", object: resized) }
            #expect(immutable?.details?.causes.first?.field == "spec")

            let endpoints = EndpointsStrategy()
            let subsets: JSONValue = ["metadata": ["name": "web"], "subsets": [
                ["addresses": [["ip": "10.0.0.1"], ["ip": "10.0.0.2"]], "ports": [["port": 80], ["port": 443]]],
            ]]
            #expect(endpoints.tableCells(for: subsets, now: .now())[1] == "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...")
            #expect(endpoints.tableCells(for: ["metadata": ["name": "e"]], now: .now())[1] == "<none>")
            let slice: JSONValue = ["metadata": ["name": "web-abc"], "addressType": "IPv4", "ports": [["port": 80], ["name": "metrics"]],
                                    "endpoints": [["addresses": ["10.0.0.1"]]]]
            #expect(Array(EndpointSliceStrategy().tableCells(for: slice, now: .now())[1...3]) == ["IPv4", "80,metrics", "10.0.0.1"])
            #expect(EndpointSliceStrategy().tableCells(for: ["metadata": ["name": "x"]], now: .now())[2...3] == ["<unset>", "<unset>"])
        }
    }

    @Test func customResourceDefinitions() async throws {
        try await withRegistry { registry in
            let definitions = try registry.store("customresourcedefinitions", group: "apiextensions.k8s.io")
            let spec: JSONValue = ["group": "example.com", "scope": "Namespaced", "names": ["plural": "widgets", "kind": "Widget"],
                                   "versions": [["name": "v1", "served": true, "storage": true, "schema": ["openAPIV3Schema": ["type": "object"]]]]]
            let created = try await definitions.create(namespace: nil, object: ["metadata": ["name": "widgets.example.com"], "spec": spec])
            #expect(created[path: "spec", "names"] == ["plural": "widgets", "kind": "Widget", "singular": "widget", "listKind": "WidgetList"])
            #expect(created[path: "spec", "conversion"] == ["strategy": "None"])
            #expect(created["status"] == ["acceptedNames": ["plural": "", "kind": ""], "storedVersions": ["v1"]])
            let misnamed = await apiError { _ = try await definitions.create(namespace: nil, object: ["metadata": ["name": "widgets"], "spec": spec]) }
            #expect(misnamed?.message == #"CustomResourceDefinition.apiextensions.k8s.io "widgets" is invalid: metadata.name: Invalid value: "widgets": must be spec.names.plural+"."+spec.group"#)
        }
    }

    @Test func quantities() {
        #expect(ResourceQuantity("1Gi") == ResourceQuantity("1024Mi"))
        #expect(ResourceQuantity("0.5") == ResourceQuantity("500m"))
        #expect(ResourceQuantity(.int(2)) == ResourceQuantity("2000m"))
        #expect(ResourceQuantity("1e3") == ResourceQuantity("1k"))
        #expect(ResourceQuantity("1.5Ki") == ResourceQuantity("1536"))
        #expect(ResourceQuantity("abc") == nil)
        #expect(ResourceQuantity("1Zi") == nil)
        #expect(ResourceQuantity("0")?.isPositive == false)
    }
}
