import Logging
import SkiffAPI
import SkiffClient

/// What a component that programs one of the node's nftables tables from informers runs with
/// (the service proxy, the network policy agent): its configuration, client, writer, clock and
/// logger.
struct NodeTableContext: Sendable {
    let configuration: ProxyConfiguration
    let client: KubernetesClient
    let writer: any RulesetWriter
    let clock: any TimestampClock
    let logger: Logger

    /// The context of `component` (the logs' `component` metadata).
    init(component: String, configuration: ProxyConfiguration, client: KubernetesClient, writer: any RulesetWriter, clock: any TimestampClock, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.writer = writer
        self.clock = clock
        var logger = logger
        logger[metadataKey: "component"] = "\(component)"
        self.logger = logger
    }

    /// The sync loop of the table `table`, paced by the configuration's sync periods.
    func tableSync(table: String, comment: String) -> TableSync {
        TableSync(
            table: table, comment: comment, minSyncPeriod: configuration.minSyncPeriod, syncPeriod: configuration.syncPeriod,
            writer: writer, clock: clock, logger: logger)
    }
}
