import ArgumentParser
import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffProxy
import SkiffTesting
import Synchronization

/// Network programming latency of the service proxy (`skiff bench proxy`): against an in-process
/// server with memory storage (or `server`), creates N Services with an EndpointSlice each, runs
/// the nftables proxy in process, then changes one slice's endpoint every `interval` and reports
/// the p50/p99 of slice update sent → a transaction holding the new endpoint written by `nft`.
public enum ProxyBenchmark {
    /// What `nft` does with each transaction.
    public enum NFTMode: String, ExpressibleByArgument, Sendable {
        /// `nft --check -f -`: parsed and validated by the kernel, not committed (nothing on the
        /// host changes; the default).
        case check
        /// `nft -f -` into the table `kube-proxy-bench` (removed at the end). Its DNAT rules
        /// catch the benchmark's ClusterIPs on this host while it runs.
        case apply
        /// No `nft`: rendering and the proxy's pipeline only.
        case none
    }

    /// What to measure (the flags of `skiff bench`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "The API server (default: one started in process with memory storage).")
        public var server: String?

        @Option(help: "Services, with one EndpointSlice of two endpoints each.")
        public var services = 1000

        @Option(help: "Endpoint changes to measure (each one slice's endpoint address).")
        public var changes = 300

        @Option(help: "Milliseconds between two changes.")
        public var intervalMs = 20

        @Option(help: "The proxy's least time between syncs, in milliseconds (upstream's default: 1000).")
        public var minSyncPeriodMs = 1000

        @Option(help: "What nft does with each transaction: check, apply or none.")
        public var nft: NFTMode = .check

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        try await BenchmarkServer.with(options.server) { server in
            try await measure(server: server, options: options, report: report, logger: BenchmarkServer.quietLogger)
        }
    }

    private static func measure(server: String, options: Options, report: @escaping BenchmarkReport, logger: Logger) async throws {
        var inner: (any RulesetWriter)?
        var proxyConfiguration = ProxyConfiguration(nodeName: "bench-node")
        proxyConfiguration.minSyncPeriod = .milliseconds(options.minSyncPeriodMs)
        if options.nft != .none {
            guard let nft = NFTCommand.find() else { throw BenchmarkError("--nft \(options.nft.rawValue) needs nft (Debian package nftables)") }
            inner = NFTCommand(executable: nft, arguments: options.nft == .check ? ["--check"] : [])
            proxyConfiguration.tableName = "kube-proxy-bench"
        }
        var configuration = ClientConfiguration(server: server)
        configuration.qps = 0
        let client = try KubernetesClient(configuration: configuration)
        let namespace = "proxy-bench-\(UUID().uuidString.prefix(8).lowercased())"
        _ = try await client.core.v1.namespaces().create(CoreV1.Namespace(metadata: ObjectMeta(name: namespace)))
        let services = client.core.v1.services(namespace)
        let slices = client.discoveryGroup.v1.endpointSlices(namespace)
        let count = options.services
        let clock = ContinuousClock()
        var began = clock.now
        try await InformerBenchmark.concurrently(count, width: 64) { index in
            _ = try await services.create(service(index, namespace: namespace))
            _ = try await slices.create(slice(index, namespace: namespace, addresses: [address(100, index), address(101, index)]))
        }
        report(String(format: "created %d services and their slices in %.1f s", count, (clock.now - began).seconds))

        let recorder = ProgrammingRecorder(writer: inner, clock: clock)
        recorder.expect(marker(address(101, count - 1)), since: clock.now)
        let proxy = KubeProxy(configuration: proxyConfiguration, client: client, writer: recorder, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await proxy.run() }
            try await recorder.waitUntilProgrammed(count: 1)
            let first = recorder.snapshot()
            report(String(format: "first sync of %d services: %.0f ms after the proxy started, %d KiB of nft input",
                          count, first.latencies[0].seconds * 1000, first.scriptBytes / 1024))

            began = clock.now
            for change in 0..<options.changes {
                let index = change % count
                let ip = address(102 + change / 65_536, change % 65_536)
                var object = try await slices.get("svc-\(index)-bench")
                object.endpoints[0].addresses = [ip]
                recorder.expect(marker(ip), since: clock.now)
                _ = try await slices.update(object)
                try await Task.sleep(for: .milliseconds(options.intervalMs))
            }
            try await recorder.waitUntilProgrammed(count: options.changes + 1)
            group.cancelAll()
        }
        let result = recorder.snapshot()
        let latencies = result.latencies.dropFirst().sorted()
        func quantile(_ q: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))].seconds * 1000
        }
        report(String(format: "%d endpoint changes over %d services in %.1f s, nft %@, min sync period %d ms: %d syncs (mean %.0f ms in nft)",
                      latencies.count, count, (clock.now - began).seconds, options.nft.rawValue, options.minSyncPeriodMs,
                      result.syncs, result.syncs == 0 ? 0 : result.writeTime.seconds * 1000 / Double(result.syncs)))
        report(String(format: "endpoint change → rules programmed: p50 %.0f ms, p99 %.0f ms, max %.0f ms", quantile(0.5), quantile(0.99), quantile(1)))
        try await client.shutdown()
    }

    /// `10.<block>.x.y` for the `index`th address of a block.
    private static func address(_ block: Int, _ index: Int) -> String { "10.\(block).\(index / 256).\(index % 256)" }

    /// The DNAT target a transaction holds once the endpoint at `ip` is programmed.
    private static func marker(_ ip: String) -> String { "\(ip):8080" }

    private static func service(_ index: Int, namespace: String) -> CoreV1.Service {
        ([
            "apiVersion": "v1", "kind": "Service", "metadata": ["name": .string("svc-\(index)"), "namespace": .string(namespace)],
            "spec": ["ports": [["name": "http", "port": 80, "targetPort": 8080]]],
        ] as JSONValue).typed()
    }

    private static func slice(_ index: Int, namespace: String, addresses: [String]) -> DiscoveryV1.EndpointSlice {
        ([
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "addressType": "IPv4",
            "metadata": [
                "name": .string("svc-\(index)-bench"), "namespace": .string(namespace),
                "labels": ["kubernetes.io/service-name": .string("svc-\(index)")],
            ],
            "endpoints": .array(addresses.map { ["addresses": [.string($0)], "conditions": ["ready": true], "nodeName": "bench-node"] }),
            "ports": [["name": "http", "port": 8080, "protocol": "TCP"]],
        ] as JSONValue).typed()
    }
}

/// The benchmark's ruleset writer: passes transactions to `nft` (or nowhere) and notes when each
/// awaited endpoint first appears in a written transaction.
private final class ProgrammingRecorder: RulesetWriter {
    struct Snapshot {
        var latencies: [Duration] = []
        var syncs = 0
        var writeTime: Duration = .zero
        var scriptBytes = 0
    }

    private let writer: (any RulesetWriter)?
    private let clock: ContinuousClock
    private let state = Mutex((pending: [String: ContinuousClock.Instant](), snapshot: Snapshot()))

    init(writer: (any RulesetWriter)?, clock: ContinuousClock) {
        self.writer = writer
        self.clock = clock
    }

    /// Awaits a transaction that DNATs to `marker` (`ip:port`), timed from `start`.
    func expect(_ marker: String, since start: ContinuousClock.Instant) {
        state.withLock { $0.pending[marker] = start }
    }

    func apply(_ script: String) async throws {
        let started = clock.now
        try await writer?.apply(script)
        let written = clock.now
        // The DNAT targets the transaction programs, read once (not one search per awaited marker).
        let targets = Set(script.split(separator: "\n").compactMap { line in
            line.range(of: "dnat to ").map { String(line[$0.upperBound...]) }
        })
        let programmed = state.withLock { $0.pending }.filter { targets.contains($0.key) }
        state.withLock { state in
            for (marker, start) in programmed {
                state.pending[marker] = nil
                state.snapshot.latencies.append(written - start)
            }
            state.snapshot.syncs += 1
            state.snapshot.writeTime += written - started
            state.snapshot.scriptBytes = script.utf8.count
        }
    }

    func snapshot() -> Snapshot { state.withLock { $0.snapshot } }

    /// Waits (up to two minutes) until `count` awaited endpoints are programmed.
    func waitUntilProgrammed(count: Int) async throws {
        try await waitUntil("\(count) endpoints programmed", timeout: .seconds(120), interval: .milliseconds(5)) {
            snapshot().latencies.count >= count
        }
    }
}
