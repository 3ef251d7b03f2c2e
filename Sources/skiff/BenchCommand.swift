import ArgumentParser
import SkiffBenchmarks

/// `skiff bench`: parts of Skiff measured in isolation (the measurements live in SkiffBenchmarks).
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure parts of Skiff in isolation.",
        subcommands: [StorageBench.self, ApplyBench.self, InformerBench.self, SchedulerBench.self, KubeletBench.self, DNSBench.self, ProxyBench.self, ClusterBench.self,
                     WireBench.self])
}

/// `skiff bench storage`.
struct StorageBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "storage", abstract: "Group-committed writes per second of a storage backend.")
    @OptionGroup var options: StorageBenchmark.Options
    func run() async throws { try await StorageBenchmark.run(options, report: Console.say) }
}

/// `skiff bench apply`.
struct ApplyBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apply", abstract: "Server-side apply cost of a wide Deployment.")
    @OptionGroup var options: ApplyBenchmark.Options
    func run() throws { try ApplyBenchmark.run(options, report: Console.say) }
}

/// `skiff bench informer`.
struct InformerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "informer", abstract: "Informer sync and event throughput.")
    @OptionGroup var options: InformerBenchmark.Options
    func run() async throws { try await InformerBenchmark.run(options, report: Console.say) }
}

/// `skiff bench scheduler`.
struct SchedulerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Scheduling throughput and latency.")
    @OptionGroup var options: SchedulerBenchmark.Options
    func run() async throws { try await SchedulerBenchmark.run(options, report: Console.say) }
}

/// `skiff bench kubelet`.
struct KubeletBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kubelet", abstract: "Pod startup latency on simulated nodes or a real-runtime node.")
    @OptionGroup var options: KubeletBenchmark.Options
    func run() async throws { try await KubeletBenchmark.run(options, report: Console.say) }
}

/// `skiff bench wire`.
struct WireBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wire", abstract: "JSON against Kubernetes protobuf: bytes, encode and decode cost.")
    @OptionGroup var options: WireBenchmark.Options
    func run() throws { try WireBenchmark.run(options, report: Console.say) }
}

/// `skiff bench dns`.
struct DNSBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dns", abstract: "Cluster DNS queries per second over UDP on loopback.")
    @OptionGroup var options: DNSBenchmark.Options
    func run() async throws { try await DNSBenchmark.run(options, report: Console.say) }
}

/// `skiff bench proxy`.
struct ProxyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "proxy", abstract: "Service proxy: endpoint change to rules programmed.")
    @OptionGroup var options: ProxyBenchmark.Options
    func run() async throws { try await ProxyBenchmark.run(options, report: Console.say) }
}

/// `skiff bench cluster`.
struct ClusterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster", abstract: "The density scenario on a whole cluster of simulated nodes, with an SLO report.")
    @OptionGroup var options: ClusterBenchmark.Options
    func run() async throws { try await ClusterBenchmark.run(options, report: Console.say) }
}
