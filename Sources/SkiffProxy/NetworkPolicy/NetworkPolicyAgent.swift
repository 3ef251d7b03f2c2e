import Logging
import ServiceLifecycle
import SkiffAPI
import SkiffClient
import SkiffModels

/// Enforces NetworkPolicies on the node's pods with nftables (docs/networkpolicy.md): typed
/// informers on NetworkPolicies, Pods and Namespaces queue a sync on every change; a sync
/// renders the whole table (`configuration.networkPolicyTableName`) from the caches and
/// writes it in one `nft` transaction, paced like the service proxy (`minSyncPeriod`,
/// `syncPeriod`). Stopping deletes the table: pods are no longer isolated.
///
/// A `Service`: graceful shutdown and cancellation both stop syncing and remove the rules.
public struct NetworkPolicyAgent: Service {
    let context: NodeTableContext
    let writer: any RulesetWriter

    /// An agent for the node `configuration` names, reading through `client`, writing with `writer`.
    public init(
        configuration: ProxyConfiguration, client: KubernetesClient, writer: any RulesetWriter = NFTCommand(),
        clock: any TimestampClock = SystemClock(), logger: Logger
    ) {
        context = NodeTableContext(component: "network-policy", configuration: configuration, client: client, clock: clock, logger: logger)
        self.writer = writer
    }

    public func run() async throws {
        let factory = SharedInformerFactory(client: context.client, stripsManagedFields: true, logger: context.logger)
        let policies = factory.informer(for: NetworkingV1.NetworkPolicy.self)
        let pods = factory.informer(for: CoreV1.Pod.self)
        let namespaces = factory.informer(for: CoreV1.Namespace.self)
        let queue = WorkQueue<TableSync.Request>(name: "network-policy")
        _ = policies.addHandler { _ in queue.add(.sync) }
        _ = pods.addHandler { _ in queue.add(.sync) }
        _ = namespaces.addHandler { _ in queue.add(.sync) }
        let builder = NetworkPolicyRulesetBuilder(nodeName: context.configuration.nodeName)
        let syncer = context.nftSyncer(table: context.configuration.networkPolicyTableName, comment: "network policies of skiff", writer: writer)
        await context.tableSync.run(factory: factory, queue: queue, syncer: syncer) {
            builder.build(policies: policies.lister.list(), pods: pods.lister.list(), namespaces: namespaces.lister.list())
        }
    }
}
