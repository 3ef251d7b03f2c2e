import ArgumentParser
import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffScheduler
import Synchronization

/// Scheduling throughput and latency (`skiff bench scheduler`). Creates fake Nodes and pending
/// pods against an in-process server with memory storage (or `server`), runs the scheduler in
/// process, and reports pods bound per second and the p50/p99 of pod created → bound observed.
public enum SchedulerBenchmark {
    /// What to measure (the flags of `skiff bench`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "The API server (default: one started in process with memory storage).")
        public var server: String?

        @Option(help: "Fake Nodes to create (32 cpu, 256Gi, 110 pods each).")
        public var nodes = 1000

        @Option(help: "Pods to schedule (100m cpu, 128Mi each).")
        public var pods = 30_000

        @Flag(help: "Create every pod before the scheduler starts (measures the scheduler alone, not pod creation).")
        public var pendingFirst = false

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        try await BenchmarkServer.with(options.server) { server in
            try await measure(server: server, options: options, report: report, logger: BenchmarkServer.quietLogger)
        }
    }

    private static func measure(server: String, options: Options, report: @escaping BenchmarkReport, logger: Logger) async throws {
        let (nodes, pendingFirst) = (options.nodes, options.pendingFirst)
        var configuration = ClientConfiguration(server: server)
        configuration.qps = 0
        let client = try KubernetesClient(configuration: configuration)
        let namespace = "scheduler-bench-\(UUID().uuidString.prefix(8).lowercased())"
        let podClient = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods")).namespace(namespace)
        let nodeClient = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "nodes"))
        _ = try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "namespaces"))
            .create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        let clock = ContinuousClock()
        var began = clock.now
        try await InformerBenchmark.concurrently(nodes, width: 64) { index in
            let created = try await nodeClient.create(Self.node("\(namespace)-node-\(index)"))
            var withStatus = created
            withStatus["status"] = Self.node("").objectValue?["status"]
            _ = try await nodeClient.updateStatus(withStatus)
        }
        report(String(format: "created %d nodes in %.1f s", nodes, (clock.now - began).seconds))

        let timings = Timings()
        let factory = SharedInformerFactory(client: client, namespace: namespace, logger: logger)
        let informer = factory.informer(for: GroupVersionResource(group: "", version: "v1", resource: "pods"))
        _ = informer.addHandler { event in
            guard case .updated(let old, let new) = event, old[path: "spec", "nodeName"] == nil,
                  new[path: "spec", "nodeName"] != nil, let name = new.name else { return }
            timings.bound(name, at: clock.now)
        }
        let scheduler = Scheduler(client: client, logger: logger)
        let pods = options.pods
        let createPods: @Sendable () async throws -> Void = {
            try await InformerBenchmark.concurrently(pods, width: 64) { index in
                let name = "pod-\(index)"
                _ = try await podClient.create(Self.pod(name))
                timings.created(name, at: clock.now)
            }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await factory.run() }
            _ = await informer.waitForCacheSync()
            if pendingFirst {
                began = clock.now
                try await createPods()
                report(String(format: "created %d pending pods in %.1f s", pods, (clock.now - began).seconds))
                began = clock.now
                group.addTask { try await scheduler.run() }
            } else {
                group.addTask { try await scheduler.run() }
                began = clock.now
                try await createPods()
                report(String(format: "created %d pods in %.1f s (%.0f/s) while scheduling", pods, (clock.now - began).seconds,
                                   Double(pods) / (clock.now - began).seconds))
            }
            try await InformerBenchmark.waitUntil(clock.now + .seconds(600)) { timings.boundCount >= pods }
            let measured = timings.report(since: began)
            report(String(format: "scheduled %d pods on %d nodes in %.2f s = %.0f pods/s; latency created -> bound observed: p50 %.1f ms, p99 %.1f ms",
                               pods, nodes, measured.elapsed, Double(pods) / measured.elapsed, measured.p50 * 1000, measured.p99 * 1000))
            group.cancelAll()
        }
        try await client.shutdown()
    }

    static func node(_ name: String) -> JSONValue {
        let resources: JSONValue = ["cpu": "32", "memory": "256Gi", "pods": "110", "ephemeral-storage": "1Ti"]
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": .string(name), "labels": ["kubernetes.io/hostname": .string(name), "kubernetes.io/os": "linux"]],
            "status": ["capacity": resources, "allocatable": resources,
                       "conditions": [["type": "Ready", "status": "True", "reason": "KubeletReady", "message": "fake node"]]],
        ]
    }

    static func pod(_ name: String) -> JSONValue {
        [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name), "labels": ["app": "bench"]],
            "spec": ["containers": [["name": "app", "image": "registry.k8s.io/pause:3.10",
                                     "resources": ["requests": ["cpu": "100m", "memory": "128Mi"]]]]],
        ]
    }
}

/// When each pod was created and seen bound.
private final class Timings: Sendable {
    private let state = Mutex<(created: [String: ContinuousClock.Instant], bound: [String: ContinuousClock.Instant])>(([:], [:]))

    func created(_ name: String, at instant: ContinuousClock.Instant) { state.withLock { $0.created[name] = instant } }
    func bound(_ name: String, at instant: ContinuousClock.Instant) { state.withLock { $0.bound[name] = instant } }
    var boundCount: Int { state.withLock { $0.bound.count } }

    /// Seconds from `start` to the last binding, and latency quantiles in seconds.
    func report(since start: ContinuousClock.Instant) -> (elapsed: Double, p50: Double, p99: Double) {
        state.withLock { state in
            let last = state.bound.values.max() ?? start
            // A pod can be seen bound before its create call returned: count that as no latency.
            let latencies = state.bound.compactMap { name, bound in state.created[name].map { max(($0.duration(to: bound)).seconds, 0) } }.sorted()
            func quantile(_ q: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))] }
            return ((last - start).seconds, quantile(0.5), quantile(0.99))
        }
    }
}
