import ArgumentParser
import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import Synchronization

/// Against a running server, the time and memory of an informer's initial sync over N
/// ConfigMaps, and the events per second that go through informer → work queue → a no-op
/// reconcile while M updates are written (`skiff bench informer`).
public enum InformerBenchmark {
    /// What to measure (the flags of `skiff bench`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "The API server (e.g. http://127.0.0.1:6443).")
        public var server: String

        @Option(help: "ConfigMaps (1 KiB each) the informer syncs; created first if missing.")
        public var objects = 10_000

        @Option(help: "Updates written while the controller runs.")
        public var updates = 5_000

        @Flag(help: "Ask for Kubernetes protobuf instead of JSON (ClientConfiguration.acceptsProtobuf).")
        public var protobuf = false

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        let (server, objects, updates) = (options.server, options.objects, options.updates)
        var configuration = ClientConfiguration(server: server)
        configuration.qps = 0
        configuration.acceptsProtobuf = options.protobuf
        let client = try KubernetesClient(configuration: configuration)
        let namespace = "informer-bench-\(objects)"
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let configMaps = client.core.v1.configMaps(namespace)
        _ = try? await client.core.v1.namespaces().create(CoreV1.Namespace(metadata: ObjectMeta(name: namespace)))
        let existing = try await configMaps.list(ListOptions(limit: 1)).metadata.remainingItemCount ?? 0
        if existing + 1 < Int64(objects) {
            try await Self.concurrently(objects, width: 64) { index in
                _ = try? await configMaps.create(Self.configMap(index, namespace: namespace))
            }
        }

        let rssBefore = Self.residentKiB()
        let factory = SharedInformerFactory(client: client, namespace: namespace, logger: logger)
        let informer = factory.informer(for: CoreV1.ConfigMap.self)
        let reconciled = Counter()
        let updated = Counter()
        _ = informer.addHandler { event in
            if case .updated = event { updated.increment() }
        }
        let controller = Controller(configuration: .init(name: "bench", workers: 4), informer: informer, key: \.cacheKey,
                                    reconciler: NoOpReconciler(count: reconciled), logger: logger)
        let clock = ContinuousClock()
        try await withThrowingTaskGroup(of: Void.self) { group in
            let began = clock.now
            group.addTask { await factory.run() }
            group.addTask { await controller.run() }
            _ = await informer.waitForCacheSync()
            let synced = clock.now - began
            let rssAfter = Self.residentKiB()
            let count = informer.indexer.list().count
            let wire = options.protobuf ? "protobuf" : "JSON"
            report(String(format: "informer initial sync of %d ConfigMaps over \(wire): %.2f s, client resident memory +%.1f MiB",
                               count, synced.seconds, Double(rssAfter - rssBefore) / 1024))
            try await Self.waitUntil(clock.now + .seconds(120)) { reconciled.value >= count }
            let drained = clock.now - began
            report(String(format: "initial adds through informer -> work queue -> no-op reconcile: %d in %.2f s = %.0f events/s",
                               reconciled.value, drained.seconds, Double(reconciled.value) / drained.seconds))

            let writing = clock.now
            try await Self.concurrently(updates, width: 64) { index in
                var object = Self.configMap(index % objects, namespace: namespace)
                object.data?["n"] = String(index)
                _ = try await configMaps.update(try await configMaps.get(object.name).with(data: object.data))
            }
            let written = clock.now - writing
            try await Self.waitUntil(clock.now + .seconds(60)) { updated.value >= updates }
            let delivered = clock.now - writing
            report(String(format: "%d updates written by 64 clients in %.2f s (%.0f/s); all delivered to the handler after %.2f s (%.0f events/s)",
                               updates, written.seconds, Double(updates) / written.seconds, delivered.seconds,
                               Double(updated.value) / delivered.seconds))
            group.cancelAll()
        }
        try await client.shutdown()
    }

    static func waitUntil(_ deadline: ContinuousClock.Instant, _ condition: () -> Bool) async throws {
        while !condition() {
            guard ContinuousClock().now < deadline else { throw BenchmarkError("timed out") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    static func configMap(_ index: Int, namespace: String) -> CoreV1.ConfigMap {
        CoreV1.ConfigMap(data: ["k": String(repeating: "x", count: 1000)], metadata: ObjectMeta(name: "cm-\(index)", namespace: namespace))
    }

    /// Runs `body` for 0..<count with at most `width` at a time.
    static func concurrently(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            while next < min(width, count) {
                let index = next
                group.addTask { try await body(index) }
                next += 1
            }
            while try await group.next() != nil, next < count {
                let index = next
                group.addTask { try await body(index) }
                next += 1
            }
            try await group.waitForAll()
        }
    }

    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]) ?? 0
    }
}

/// Counts reconciles and does nothing else.
private struct NoOpReconciler: Reconciler {
    let count: Counter
    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        count.increment()
        return .done
    }
}

private final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    var value: Int { storage.load(ordering: .relaxed) }
    func increment() { storage.add(1, ordering: .relaxed) }
}

extension CoreV1.ConfigMap {
    func with(data: [String: String]?) -> CoreV1.ConfigMap {
        var copy = self
        copy.data = data
        return copy
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
