import ArgumentParser
import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffScheduler
import SkiffTesting
import Synchronization

/// `skiff bench scheduler`: scheduling throughput and latency. Creates fake Nodes and pending pods
/// against an in-process server with memory storage (or `--server`), runs the scheduler in
/// process, and reports pods bound per second and the p50/p99 of pod created → bound observed.
struct SchedulerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Scheduling throughput and latency.")

    @Option(help: "The API server (default: one started in process with memory storage).")
    var server: String?

    @Option(help: "Fake Nodes to create (32 cpu, 256Gi, 110 pods each).")
    var nodes: Int = 1000

    @Option(help: "Pods to schedule (100m cpu, 128Mi each).")
    var pods: Int = 30_000

    @Flag(help: "Create every pod before the scheduler starts (measures the scheduler alone, not pod creation).")
    var pendingFirst = false

    func run() async throws {
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        if let server {
            try await measure(server: server, logger: logger)
            return
        }
        var options = InProcessCluster.Options()
        options.logger = logger
        try await InProcessCluster.withCluster(options) { cluster in try await measure(server: cluster.serverURL, logger: logger) }
    }

    private func measure(server: String, logger: Logger) async throws {
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
        try await InformerBench.concurrently(nodes, width: 64) { index in
            let created = try await nodeClient.create(Self.node("\(namespace)-node-\(index)"))
            var withStatus = created
            withStatus["status"] = Self.node("").objectValue?["status"]
            _ = try await nodeClient.updateStatus(withStatus)
        }
        Console.say(String(format: "created %d nodes in %.1f s", nodes, (clock.now - began).seconds))

        let timings = Timings()
        let factory = SharedInformerFactory(client: client, namespace: namespace, logger: logger)
        let informer = factory.informer(for: GroupVersionResource(group: "", version: "v1", resource: "pods"))
        _ = informer.addHandler { event in
            guard case .updated(let old, let new) = event, old[path: "spec", "nodeName"] == nil,
                  new[path: "spec", "nodeName"] != nil, let name = new.name else { return }
            timings.bound(name, at: clock.now)
        }
        let scheduler = Scheduler(client: client, logger: logger)
        let pods = self.pods
        let createPods: @Sendable () async throws -> Void = {
            try await InformerBench.concurrently(pods, width: 64) { index in
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
                Console.say(String(format: "created %d pending pods in %.1f s", pods, (clock.now - began).seconds))
                began = clock.now
                group.addTask { try await scheduler.run() }
            } else {
                group.addTask { try await scheduler.run() }
                began = clock.now
                try await createPods()
                Console.say(String(format: "created %d pods in %.1f s (%.0f/s) while scheduling", pods, (clock.now - began).seconds,
                                   Double(pods) / (clock.now - began).seconds))
            }
            try await InformerBench.waitUntil(clock.now + .seconds(600)) { timings.boundCount >= pods }
            let report = timings.report(since: began)
            Console.say(String(format: "scheduled %d pods on %d nodes in %.2f s = %.0f pods/s; latency created -> bound observed: p50 %.1f ms, p99 %.1f ms",
                               pods, nodes, report.elapsed, Double(pods) / report.elapsed, report.p50 * 1000, report.p99 * 1000))
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
