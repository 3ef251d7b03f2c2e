import ArgumentParser
import Foundation
import SkiffAPI
import SkiffClient
import SkiffMetrics

/// The density scenario of `hack/bench/scale.py` as one command (`skiff bench cluster`), in the
/// spirit of upstream's clusterloader2: the API server, one kubelet process with N simulated
/// nodes, the controller manager and the scheduler each run as their own `skiff` process (so each
/// one's CPU and memory can be read, and they talk over HTTP as a real cluster's do); then
/// Deployments × replicas are created at once (or bare pods at a bounded rate), a watch records
/// each pod's startup, a progress line is printed every two seconds, and the run ends with an SLO
/// report (`ClusterReport`).
public enum ClusterBenchmark {
    /// What to run (the flags of `skiff bench cluster`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "Simulated nodes (one kubelet process runs them all).")
        public var nodes = 100

        @Option(help: "Deployments to create.")
        public var deployments = 10

        @Option(help: "Replicas of each Deployment.")
        public var replicas = 100

        @Option(help: "Pods per second: create deployments × replicas bare pods at this rate instead of the Deployments at once (upstream's density: 20-100).")
        public var podRate: Double = 0

        @Option(help: "Storage of the API server: sqlite (in a scratch directory) or memory.")
        public var storage = "sqlite"

        @Option(help: "Client rate limit (QPS and burst) of the controller manager and the scheduler.")
        public var qps = 5000

        @Option(help: "Seconds to wait for the nodes, and then for the pods.")
        public var timeout = 1800

        @Option(help: "The skiff binary to run the components with (default: this one).")
        public var skiffBinary: String?

        public init() {}
    }

    /// Runs as `options` say and writes the progress and the report to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        guard ["sqlite", "memory"].contains(options.storage) else { throw BenchmarkError("--storage must be sqlite or memory") }
        let binary = try options.skiffBinary ?? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let scratch = FileManager.default.temporaryDirectory.path + "/skiff-bench-cluster-" + UUID().uuidString.prefix(8).lowercased()
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        var components: [ComponentProcess] = []
        do {
            try await measure(options, binary: binary, scratch: scratch, components: &components, report: report)
        } catch {
            for component in components.reversed() { await component.stop() }
            report("logs kept in \(scratch)")
            throw error
        }
        for component in components.reversed() { await component.stop() }
        try? FileManager.default.removeItem(atPath: scratch)
    }

    private static func measure(
        _ options: Options, binary: String, scratch: String, components: inout [ComponentProcess], report: @escaping BenchmarkReport
    ) async throws {
        let timeout = Duration.seconds(options.timeout)
        func start(_ name: String, _ arguments: [String]) throws -> ComponentProcess {
            let component = try ComponentProcess(name: name, executable: binary, arguments: arguments, directory: scratch)
            components.append(component)
            return component
        }
        let storage = options.storage == "memory" ? ["--storage", "memory://"] : []
        let apiserver = try start("apiserver", ["apiserver", "--insecure-serving", "--data-dir", scratch, "--port", "0"] + storage)
        try await apiserver.waitForLog("API server is ready", timeout: .seconds(60))
        let server = try serverURL(inLogOf: apiserver)
        let kubeconfig = scratch + "/admin.kubeconfig"
        var configuration = ClientConfiguration(server: server)
        configuration.qps = 0
        let client = try KubernetesClient(configuration: configuration)

        let clock = ContinuousClock()
        var began = clock.now
        _ = try start("kubelets", ["kubelet", "--kubeconfig", kubeconfig, "--runtime", "simulated", "--simulate-nodes", String(options.nodes)])
        try await waitUntil("\(options.nodes) Ready nodes", timeout: timeout, began: began, report: report) {
            let ready = try await readyNodes(client)
            return (ready >= options.nodes, "nodes Ready \(ready)/\(options.nodes)")
        }
        let registration = clock.now - began
        let limits = ["--kube-api-qps", String(options.qps), "--kube-api-burst", String(options.qps)]
        _ = try start("controller-manager", ["controller-manager", "--kubeconfig", kubeconfig] + limits)
        _ = try start("scheduler", ["scheduler", "--kubeconfig", kubeconfig] + limits)

        let namespace = "density"
        _ = try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "namespaces"))
            .create(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
        let pods = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods")).namespace(namespace)
        let listed = try await pods.list(ListOptions(limit: 1)).metadata.resourceVersion
        let watch = PodStartupWatch()
        let watching = Task { try await watch.run(pods, from: listed) }
        defer { watching.cancel() }
        let total = options.deployments * options.replicas
        let cpuBefore = components.map(\.cpuSeconds)
        began = clock.now
        let creating = Task { try await create(options, in: namespace, client: client) }
        defer { creating.cancel() }
        var peakRSS = components.map(\.residentMiB)
        try await waitUntil("\(total) running pods", timeout: timeout, began: began, report: report) {
            for (index, component) in components.enumerated() { peakRSS[index] = max(peakRSS[index], component.residentMiB) }
            let counts = watch.counts
            return (counts.running >= total, "pods seen \(counts.seen)/\(total), bound \(counts.bound), running \(counts.running)")
        }
        let elapsed = clock.now - began
        try await creating.value
        let scraped = try await client.rest.send(APIRequest(.GET, path: "/metrics")).body
        let usage = components.enumerated().map { index, component in
            ClusterReport.Usage(name: component.name, cpuSeconds: component.cpuSeconds - cpuBefore[index], peakResidentMiB: peakRSS[index])
        }
        let result = ClusterReport(
            options: options, registration: registration, elapsed: elapsed, pods: watch.snapshot,
            metrics: ScrapedMetrics(text: String(decoding: scraped, as: UTF8.self)), usage: usage)
        try await client.shutdown()
        result.lines.forEach(report)
    }

    /// The URL the API server's ready line names.
    private static func serverURL(inLogOf apiserver: ComponentProcess) throws -> String {
        let log = (try? String(contentsOfFile: apiserver.logPath, encoding: .utf8)) ?? ""
        guard let line = log.split(separator: "\n").first(where: { $0.contains("API server is ready on ") }),
            let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") })
        else { throw BenchmarkError("no server URL in \(apiserver.logPath)") }
        return String(url)
    }

    private static func readyNodes(_ client: KubernetesClient) async throws -> Int {
        let nodes = try await client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "nodes")).list()
        return nodes.items.count { node in
            (node[path: "status", "conditions"]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
        }
    }

    /// Polls `condition` every half second, printing its progress text every two seconds.
    private static func waitUntil(
        _ what: String, timeout: Duration, began: ContinuousClock.Instant, report: BenchmarkReport,
        _ condition: () async throws -> (done: Bool, progress: String)
    ) async throws {
        var lastProgress = began
        while true {
            let (done, progress) = try await condition()
            let now = ContinuousClock.now
            if done || now - lastProgress >= .seconds(2) {
                report(String(format: "[%6.1f s] ", (now - began).seconds) + progress)
                lastProgress = now
            }
            if done { return }
            if now - began > timeout { throw BenchmarkError("timed out after \(timeout) waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// The Deployments at once, or the bare pods at `podRate` per second.
    private static func create(_ options: Options, in namespace: String, client: KubernetesClient) async throws {
        if options.podRate <= 0 {
            let deployments = client.dynamic.resource(GroupVersionResource(group: "apps", version: "v1", resource: "deployments")).namespace(namespace)
            for index in 0..<options.deployments {
                _ = try await deployments.create(DensityObjects.deployment(name: "d\(index)", replicas: options.replicas))
            }
            return
        }
        let pods = client.dynamic.resource(GroupVersionResource(group: "", version: "v1", resource: "pods")).namespace(namespace)
        let interval = Duration.seconds(1 / options.podRate)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<(options.deployments * options.replicas) {
                try await Task.sleep(until: start + interval * index, clock: .continuous)
                group.addTask { _ = try await pods.create(DensityObjects.pod(name: "p\(index)")) }
            }
            try await group.waitForAll()
        }
    }
}
