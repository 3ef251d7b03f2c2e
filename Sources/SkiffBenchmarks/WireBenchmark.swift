import ArgumentParser
import Foundation
import SkiffAPI
import SkiffModels
import SkiffProtobuf

/// JSON against Kubernetes protobuf in process (`skiff bench wire`): bytes and encode/decode cost
/// of a typical pod, of a list of many ConfigMaps (as the server assembles it from its cache, and
/// as a client decodes it), and of decoding a list of many pods into typed models, as an
/// informer's initial list does (protobuf goes through the `JSONValue` bridge).
public enum WireBenchmark {
    /// What to measure (the flags of `skiff bench wire`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "Encodes and decodes of the single pod.")
        public var iterations = 2_000

        @Option(help: "ConfigMaps (1 KiB each) in the list.")
        public var configMaps = 10_000

        @Option(help: "Pods in the typed list decode.")
        public var pods = 10_000

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) throws {
        try measurePod(iterations: options.iterations, report: report)
        try measureConfigMapList(count: options.configMaps, report: report)
        try measureTypedPodList(count: options.pods, report: report)
    }

    private static func measurePod(iterations: Int, report: BenchmarkReport) throws {
        let pod = typicalPod(0)
        let json = pod.serialized(shapes: GoFieldOrder.shapes)
        let protobuf = try KubernetesProtobuf.encode(pod)
        report("a typical pod: \(json.count) bytes of JSON, \(protobuf.count) bytes of protobuf (\(percent(protobuf.count, of: json.count)))")
        let jsonEncode = try time(iterations) { _ = pod.serialized(shapes: GoFieldOrder.shapes) }
        let protobufEncode = try time(iterations) { _ = try KubernetesProtobuf.encode(pod) }
        let jsonDecode = try time(iterations) { _ = try JSONValue(parsing: json) }
        let protobufDecode = try time(iterations) { _ = try KubernetesProtobuf.decode(protobuf) }
        let typedJSON = try time(iterations) { _ = try JSONDecoder().decode(CoreV1.Pod.self, from: Data(json)) }
        let typedProtobuf = try time(iterations) {
            _ = try JSONDecoder().decode(CoreV1.Pod.self, from: Data(try KubernetesProtobuf.decode(protobuf).serialized()))
        }
        report(String(format: "  encode: JSON %.1f µs, protobuf %.1f µs; decode to JSONValue: JSON %.1f µs, protobuf %.1f µs",
                      jsonEncode, protobufEncode, jsonDecode, protobufDecode))
        report(String(format: "  decode to CoreV1.Pod: JSON %.1f µs, protobuf through JSONValue %.1f µs", typedJSON, typedProtobuf))
    }

    private static func measureConfigMapList(count: Int, report: BenchmarkReport) throws {
        let items = (0..<count).map { configMap($0) }
        let clock = ContinuousClock()
        var began = clock.now
        let jsonItems = items.map { $0.serialized(shapes: GoFieldOrder.shapes) }
        let jsonItemsTime = clock.now - began
        began = clock.now
        let protobufItems = try items.map { try KubernetesProtobuf.encodeMessage($0) }
        let protobufItemsTime = clock.now - began

        began = clock.now
        var jsonList = Array(#"{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":["#.utf8)
        for (index, item) in jsonItems.enumerated() {
            if index > 0 { jsonList.append(UInt8(ascii: ",")) }
            jsonList += item
        }
        jsonList += Array("]}\n".utf8)
        let jsonListTime = clock.now - began
        began = clock.now
        let protobufList = try KubernetesProtobuf.encodeList(apiVersion: "v1", kind: "ConfigMapList", metadata: ["resourceVersion": "1"],
                                                             items: protobufItems)
        let protobufListTime = clock.now - began

        began = clock.now
        _ = try JSONValue(parsing: jsonList)
        let jsonDecode = clock.now - began
        began = clock.now
        _ = try KubernetesProtobuf.decode(protobufList)
        let protobufDecode = clock.now - began
        report("\(count) ConfigMaps of 1 KiB: \(jsonList.count) bytes as a JSON list, \(protobufList.count) as protobuf (\(percent(protobufList.count, of: jsonList.count)))")
        report(String(format: "  encoding every item once (the watch cache's cost): JSON %.1f ms, protobuf %.1f ms", jsonItemsTime.seconds * 1000, protobufItemsTime.seconds * 1000))
        report(String(format: "  a list from the encoded items: JSON %.1f ms, protobuf %.1f ms", jsonListTime.seconds * 1000, protobufListTime.seconds * 1000))
        report(String(format: "  the client decoding the list to JSONValue: JSON %.1f ms, protobuf %.1f ms", jsonDecode.seconds * 1000, protobufDecode.seconds * 1000))
    }

    private static func measureTypedPodList(count: Int, report: BenchmarkReport) throws {
        let items = (0..<count).map(typicalPod)
        let json = (["apiVersion": "v1", "kind": "PodList", "metadata": ["resourceVersion": "1"], "items": .array(items)] as JSONValue)
            .serialized(shapes: GoFieldOrder.shapes)
        let protobuf = try KubernetesProtobuf.encodeList(apiVersion: "v1", kind: "PodList", metadata: ["resourceVersion": "1"],
                                                         items: items.map(KubernetesProtobuf.encodeMessage))
        let clock = ContinuousClock()
        var began = clock.now
        _ = try JSONDecoder().decode(PodList.self, from: Data(json))
        let jsonTime = clock.now - began
        began = clock.now
        _ = try JSONDecoder().decode(PodList.self, from: Data(try KubernetesProtobuf.decode(protobuf).serialized()))
        let protobufTime = clock.now - began
        report("an informer's initial list of \(count) typical pods: \(json.count) bytes of JSON, \(protobuf.count) of protobuf (\(percent(protobuf.count, of: json.count)))")
        report(String(format: "  decoded to [CoreV1.Pod]: JSON %.0f ms, protobuf through JSONValue %.0f ms", jsonTime.seconds * 1000, protobufTime.seconds * 1000))
    }

    /// The mean time of `body` in microseconds over `iterations` runs, after one untimed run
    /// (which builds the lazily made schema tables).
    private static func time(_ iterations: Int, _ body: () throws -> Void) throws -> Double {
        try body()
        let clock = ContinuousClock()
        let began = clock.now
        for _ in 0..<iterations { try body() }
        return (clock.now - began).seconds * 1e6 / Double(iterations)
    }

    private static func percent(_ part: Int, of whole: Int) -> String {
        String(format: "%.0f%%", Double(part) * 100 / Double(whole))
    }

    private struct PodList: Decodable {
        var items: [CoreV1.Pod]
    }

    static func configMap(_ index: Int) -> JSONValue {
        ["apiVersion": "v1", "kind": "ConfigMap",
         "metadata": ["name": .string("cm-\(index)"), "namespace": "bench", "uid": .string(uid(index)), "resourceVersion": .string("\(1000 + index)"),
                      "creationTimestamp": "2026-12-06T10:00:00Z"],
         "data": ["k": .string(String(repeating: "x", count: 1000))]]
    }

    /// A scheduled, running pod of a Deployment as the API server stores it (owner reference,
    /// managed fields, conditions, container status): about 3.5 KiB of JSON.
    static func typicalPod(_ index: Int) -> JSONValue {
        let name = "web-7d4b9c8f5-\(index)"
        let time: JSONValue = "2026-12-06T10:00:00Z"
        let conditions: JSONValue = .array(["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map {
            ["type": .string($0), "status": "True", "lastProbeTime": nil, "lastTransitionTime": time]
        })
        return [
            "apiVersion": "v1", "kind": "Pod",
            "metadata": [
                "name": .string(name), "generateName": "web-7d4b9c8f5-", "namespace": "default", "uid": .string(uid(index)),
                "resourceVersion": .string("\(5000 + index)"), "creationTimestamp": time,
                "labels": ["app": "web", "pod-template-hash": "7d4b9c8f5"],
                "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-7d4b9c8f5", "uid": .string(uid(index + 1)),
                                     "controller": true, "blockOwnerDeletion": true]],
                "managedFields": [
                    ["manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": time, "fieldsType": "FieldsV1",
                     "fieldsV1": ["f:metadata": ["f:generateName": [:], "f:labels": [".": [:], "f:app": [:], "f:pod-template-hash": [:]]],
                                  "f:spec": ["f:containers": ["k:{\"name\":\"web\"}": [".": [:], "f:image": [:], "f:name": [:]]]]]],
                    ["manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": time, "fieldsType": "FieldsV1",
                     "subresource": "status",
                     "fieldsV1": ["f:status": ["f:conditions": [:], "f:containerStatuses": [:], "f:hostIP": [:], "f:phase": [:], "f:podIP": [:],
                                               "f:startTime": [:]]]],
                ],
            ],
            "spec": [
                "containers": [[
                    "name": "web", "image": "registry.k8s.io/nginx:1.27", "ports": [["name": "http", "containerPort": 80, "protocol": "TCP"]],
                    "env": [["name": "MODE", "value": "production"], ["name": "LOG_LEVEL", "value": "info"]],
                    "resources": ["requests": ["cpu": "100m", "memory": "128Mi"], "limits": ["memory": "256Mi"]],
                    "volumeMounts": [["name": "kube-api-access", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "readOnly": true]],
                    "readinessProbe": ["httpGet": ["path": "/healthz", "port": "http", "scheme": "HTTP"], "periodSeconds": 10,
                                       "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3],
                    "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent",
                ]],
                "volumes": [["name": "kube-api-access", "projected": ["defaultMode": 420, "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                ]]]],
                "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst", "serviceAccountName": "default",
                "serviceAccount": "default", "nodeName": .string("node-\(index % 1000)"), "schedulerName": "default-scheduler",
                "securityContext": [:], "priority": 0, "enableServiceLinks": true, "preemptionPolicy": "PreemptLowerPriority",
                "tolerations": [["key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300],
                                ["key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300]],
            ],
            "status": [
                "phase": "Running", "conditions": conditions, "hostIP": "10.0.0.7", "hostIPs": [["ip": "10.0.0.7"]],
                "podIP": .string("10.244.\(index / 250 % 250).\(index % 250 + 2)"), "podIPs": [["ip": .string("10.244.\(index / 250 % 250).\(index % 250 + 2)")]],
                "startTime": time, "qosClass": "Burstable",
                "containerStatuses": [["name": "web", "state": ["running": ["startedAt": time]], "lastState": [:], "ready": true, "restartCount": 0,
                                       "image": "registry.k8s.io/nginx:1.27", "imageID": "registry.k8s.io/nginx@sha256:0123456789abcdef",
                                       "containerID": "containerd://0123456789abcdef0123456789abcdef", "started": true]],
            ],
        ]
    }

    private static func uid(_ index: Int) -> String {
        String(format: "6f1c2d3e-4a5b-4c6d-8e7f-%012d", index)
    }
}
