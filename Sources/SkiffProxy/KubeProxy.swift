import Foundation
import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// The node's service proxy (upstream's kube-proxy in nftables mode): typed informers on
/// Services and EndpointSlices queue a sync on every change; a sync renders the whole table
/// from the caches and writes it in one `nft` transaction. Changes closer together than
/// `minSyncPeriod` are written together; without changes the table is written again every
/// `syncPeriod`. Stopping deletes the table.
///
/// A `Service`: graceful shutdown and cancellation both stop syncing and remove the rules.
public struct KubeProxy: Service {
    let context: NodeTableContext

    /// A proxy for the node `configuration` names, reading through `client`, writing with `writer`.
    public init(
        configuration: ProxyConfiguration, client: KubernetesClient, writer: any RulesetWriter = NFTCommand(),
        clock: any TimestampClock = SystemClock(), logger: Logger
    ) {
        context = NodeTableContext(component: "kube-proxy", configuration: configuration, client: client, writer: writer, clock: clock, logger: logger)
    }

    public func run() async throws {
        let factory = SharedInformerFactory(client: context.client, logger: context.logger)
        let services = factory.informer(for: CoreV1.Service.self)
        let slices = factory.informer(for: DiscoveryV1.EndpointSlice.self)
        let queue = WorkQueue<TableSync.Request>(name: "kube-proxy")
        _ = services.addHandler { _ in queue.add(.sync) }
        _ = slices.addHandler { _ in queue.add(.sync) }
        let configuration = context.configuration
        await context.tableSync(table: configuration.tableName, comment: "rules for kube-proxy").run(factory: factory, queue: queue) {
            let ports = ServicePortTable.make(services: services.lister.list(), slices: slices.lister.list(), nodeName: configuration.nodeName)
            return RulesetBuilder(configuration: configuration).build(ports)
        }
    }
}
