import ArgumentParser
import Foundation
import SkiffAPI
import SkiffClient
import Synchronization

/// Against a running cluster (simulated nodes with `skiff up --nodes N`, or one real node with
/// `--runtime process` and an image it can run), creates pods already bound to the nodes round-robin and measures pod startup latency as a watch observes it: from
/// just before the create request to the first event showing the pod `Running` with
/// `Ready=True` (`skiff bench kubelet`).
public enum KubeletBenchmark {
    /// What to measure (the flags of `skiff bench`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "The API server (e.g. http://127.0.0.1:6443).")
        public var server: String

        @Option(help: "Pods to create.")
        public var pods = 10_000

        @Option(help: "Nodes skiff-node-0 … skiff-node-<N-1> the pods are bound to, round-robin.")
        public var nodes = 1_000

        @Option(help: "Concurrent create requests.")
        public var width = 64

        @Option(help: "Pods created per second, as upstream's density tests pace them (0: all at once, as fast as --width allows).")
        public var rate: Double = 0

        @Option(help: "The pods' image (pulled IfNotPresent).")
        public var image = "registry.k8s.io/pause:3.10"

        @Option(parsing: .upToNextOption, help: "The container's command and arguments (default: the image's).")
        public var command: [String] = []

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        let (server, pods, width) = (options.server, options.pods, options.width)
        var configuration = ClientConfiguration(server: server)
        configuration.qps = 0
        let client = try KubernetesClient(configuration: configuration)
        let namespace = "kubelet-bench-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "namespaces"))
            .create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        let podsClient = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods")).namespace(namespace)
        let startedRV = try await podsClient.list(ListOptions(limit: 1)).metadata.resourceVersion
        let created = CreationTimes()
        let clock = ContinuousClock()
        let began = clock.now
        let count = pods
        let nodes = max(options.nodes, 1)
        var app: JSONValue = ["name": "app", "image": .string(options.image), "imagePullPolicy": "IfNotPresent"]
        if !options.command.isEmpty { app["command"] = .array(options.command.map(JSONValue.string)) }
        let container = app
        let latencies = try await withThrowingTaskGroup(of: [Duration]?.self) { group in
            group.addTask {
                var seen = [Duration]()
                var done = Set<String>()
                let stream = try await podsClient.watch(ListOptions(resourceVersion: startedRV, timeoutSeconds: 3600))
                for try await event in stream {
                    guard case .modified(let pod) = event, let name = pod.name, !done.contains(name),
                        pod[path: "status", "phase"] == "Running", pod.isPodReady,
                        let start = created[name]
                    else { continue }
                    done.insert(name)
                    seen.append(clock.now - start)
                    if seen.count == count { break }
                }
                return seen
            }
            group.addTask {
                try await InformerBenchmark.concurrently(count, width: width) { [rate = options.rate] index in
                    if rate > 0 { try await clock.sleep(until: began + .seconds(Double(index) / rate)) }
                    let name = "bench-\(index)"
                    created[name] = clock.now
                    _ = try await podsClient.create([
                        "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)],
                        "spec": ["nodeName": .string("skiff-node-\(index % nodes)"), "containers": [container]],
                    ])
                }
                return nil
            }
            var result: [Duration] = []
            for try await outcome in group {
                if let outcome { result = outcome }
            }
            return result.sorted()
        }
        let elapsed = clock.now - began
        try await client.shutdown()
        func quantile(_ q: Double) -> String {
            guard !latencies.isEmpty else { return "-" }
            return String(format: "%.0f", latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))].seconds * 1000)
        }
        report(String(format: "%d pods on %d nodes Running+Ready in %.1f s (%.0f pods/s); startup latency p50 %@ ms, p99 %@ ms, max %@ ms",
                           latencies.count, nodes, elapsed.seconds, Double(latencies.count) / elapsed.seconds, quantile(0.5), quantile(0.99), quantile(1)))
    }
}

/// When each pod's create request was sent, by name.
private final class CreationTimes: Sendable {
    private let times = Mutex([String: ContinuousClock.Instant]())

    subscript(name: String) -> ContinuousClock.Instant? {
        get { times.withLock { $0[name] } }
        set { times.withLock { $0[name] = newValue } }
    }
}

extension JSONValue {
    /// Whether the pod's `Ready` condition is `True`.
    fileprivate var isPodReady: Bool {
        (self[path: "status", "conditions"]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }
}
