import ArgumentParser
import Foundation
import Logging
import SkiffStorage

/// The raw ceiling of a storage backend, without HTTP or the API layer (`skiff bench storage`):
/// concurrent writers creating values, every write acknowledged only when durable.
public enum StorageBenchmark {
    /// What to measure (the flags of `skiff bench`).
    public struct Options: ParsableArguments, Sendable {
        @Option(help: "The storage URL (default: a fresh SQLite file in a temporary directory).")
        public var storage: String?

        @Option(help: "Concurrent writers.")
        public var writers = 64

        @Option(help: "How long to write, in seconds.")
        public var seconds = 5.0

        @Option(help: "Value size in bytes.")
        public var valueSize = 1024

        public init() {}
    }

    /// Measures as `options` say and writes the result lines to `report`.
    public static func run(_ options: Options, report: @escaping BenchmarkReport) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = options.storage ?? "sqlite://\(directory.path)/bench.db"
        let store = try StorageURL.open(url, logger: Logger(label: "bench"))
        let value = [UInt8](repeating: 120, count: options.valueSize)
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(options.seconds * 1000))
        let start = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for writer in 0..<options.writers {
                group.addTask {
                    var samples: [Duration] = []
                    var index = 0
                    while clock.now < deadline {
                        let began = clock.now
                        _ = try await store.create("/bench/\(writer)/\(index)", value: value)
                        samples.append(clock.now - began)
                        index += 1
                    }
                    return samples
                }
            }
            var all: [Duration] = []
            for try await samples in group { all += samples }
            return all.sorted()
        }
        let elapsed = clock.now - start
        try await store.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func milliseconds(_ quantile: Double) -> String {
            guard !latencies.isEmpty else { return "-" }
            let sample = latencies[min(latencies.count - 1, Int(Double(latencies.count) * quantile))]
            return String(format: "%.2f", Double(sample.components.attoseconds) / 1e15 + Double(sample.components.seconds) * 1000)
        }
        report(String(format: "storage %@: %d writers, %d writes in %.1fs = %.0f writes/s, p50 %@ ms, p99 %@ ms",
                      url, options.writers, latencies.count, seconds, Double(latencies.count) / seconds, milliseconds(0.5), milliseconds(0.99)))
    }
}
