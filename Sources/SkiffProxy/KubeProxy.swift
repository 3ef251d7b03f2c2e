import Foundation
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// The node's service proxy (upstream's kube-proxy in nftables mode, or in iptables mode where
/// `nft` is missing): typed informers on Services and EndpointSlices queue a sync on every
/// change; a sync renders the whole table (or the iptables chains) from the caches and writes
/// it in one `nft` transaction (one `iptables-restore`). Changes closer together than
/// `minSyncPeriod` are written together; without changes the rules are written again every
/// `syncPeriod`. Stopping deletes the table (the chains).
///
/// A `Service`: graceful shutdown and cancellation both stop syncing and remove the rules.
public struct KubeProxy: Service {
    /// How the rules reach the kernel.
    enum Mode: Sendable {
        case nftables(any RulesetWriter)
        case iptables(any IPTablesWriter)
    }

    let context: NodeTableContext
    let mode: Mode

    /// A proxy in nftables mode for the node `configuration` names, reading through `client`, writing with `writer`.
    public init(
        configuration: ProxyConfiguration, client: KubernetesClient, writer: any RulesetWriter = NFTCommand(),
        clock: any TimestampClock = SystemClock(), logger: Logger
    ) {
        context = NodeTableContext(component: "kube-proxy", configuration: configuration, client: client, clock: clock, logger: logger)
        mode = .nftables(writer)
    }

    /// A proxy in iptables mode for the node `configuration` names, reading through `client`, writing with `iptables`.
    public init(
        configuration: ProxyConfiguration, client: KubernetesClient, iptables: any IPTablesWriter,
        clock: any TimestampClock = SystemClock(), logger: Logger
    ) {
        context = NodeTableContext(component: "kube-proxy", configuration: configuration, client: client, clock: clock, logger: logger)
        mode = .iptables(iptables)
    }

    public func run() async throws {
        let factory = SharedInformerFactory(client: context.client, stripsManagedFields: true, logger: context.logger)
        let services = factory.informer(for: CoreV1.Service.self)
        let slices = factory.informer(for: DiscoveryV1.EndpointSlice.self)
        let queue = WorkQueue<TableSync.Request>(name: "kube-proxy")
        _ = services.addHandler { _ in queue.add(.sync) }
        _ = slices.addHandler { _ in queue.add(.sync) }
        let configuration = context.configuration
        let ports: @Sendable () -> [ProxiedServicePort] = {
            ServicePortTable.make(services: services.lister.list(), slices: slices.lister.list(), nodeName: configuration.nodeName)
        }
        switch mode {
        case .nftables(let writer):
            let syncer = context.nftSyncer(table: configuration.tableName, comment: "rules for kube-proxy", writer: writer)
            await context.tableSync.run(factory: factory, queue: queue, syncer: syncer) { RulesetBuilder(configuration: configuration).build(ports()) }
        case .iptables(let writer):
            let syncer = IPTablesSyncer(writer: writer, logger: context.logger)
            await context.tableSync.run(factory: factory, queue: queue, syncer: syncer) { IPTablesRulesetBuilder(configuration: configuration).build(ports()) }
        }
    }
}
