import ArgumentParser
import SkiffKubelet

/// How the node running real containers evicts pods under pressure (upstream's kubelet flags).
struct EvictionOptions: ParsableArguments {
    @Option(help: "With real containers, the hard eviction thresholds, as upstream's kubelet takes them (memory.available<100Mi,nodefs.available<10%; default: upstream's Linux defaults; 0% or 100% turns a signal off).")
    var evictionHard: String?

    @Option(help: "With real containers, how long a pressure condition stays after its threshold is no longer met.")
    var evictionPressureTransitionPeriod = DurationFlag(.seconds(300))

    /// The configuration the flags give.
    func configuration() throws -> EvictionConfiguration {
        var configuration = EvictionConfiguration()
        if let evictionHard {
            do {
                configuration.hard = try EvictionThreshold.parse(evictionHard)
            } catch let error as EvictionConfigurationError {
                throw ValidationError("--eviction-hard: \(error.description)")
            }
        }
        configuration.pressureTransitionPeriod = evictionPressureTransitionPeriod.duration
        return configuration
    }
}
