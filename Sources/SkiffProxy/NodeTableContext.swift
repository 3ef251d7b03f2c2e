import Logging
import SkiffAPI
import SkiffClient

/// What a component that programs the node's rules from informers runs with (the service
/// proxy, the network policy agent): its configuration, client, clock and logger.
struct NodeTableContext: Sendable {
    let configuration: ProxyConfiguration
    let client: KubernetesClient
    let clock: any TimestampClock
    let logger: Logger

    /// The context of `component` (the logs' `component` metadata).
    init(component: String, configuration: ProxyConfiguration, client: KubernetesClient, clock: any TimestampClock, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.clock = clock
        var logger = logger
        logger[metadataKey: "component"] = "\(component)"
        self.logger = logger
    }

    /// The sync loop, paced by the configuration's sync periods.
    var tableSync: TableSync {
        TableSync(minSyncPeriod: configuration.minSyncPeriod, syncPeriod: configuration.syncPeriod, clock: clock)
    }

    /// The syncer of the nftables table `table` (of family `ip`), commented `comment`, writing with `writer`.
    func nftSyncer(table: String, comment: String, writer: any RulesetWriter) -> Syncer {
        Syncer(table: table, comment: comment, writer: writer, logger: logger)
    }
}
