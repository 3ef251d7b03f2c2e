import Logging
import SkiffAPI
import SkiffClient

/// Keeps a `default` ServiceAccount in every active namespace (upstream's serviceaccounts
/// controller): namespaces are the keys; a deleted `default` account queues its namespace again.
public struct ServiceAccountController: Sendable {
    /// The accounts every namespace gets.
    static let accountNames = ["default"]

    private let controller: Controller<JSONValue>

    public init(context: ControllerContext, workers: Int = 1) {
        let namespaces = context.informers.informer(for: .namespaces)
        let accounts = context.informers.informer(for: .serviceAccounts)
        let sync = Sync(namespaces: namespaces.lister, serviceAccounts: accounts.lister, client: context.client.dynamic.resource(.serviceAccounts))
        controller = Controller(
            configuration: .init(name: "serviceaccount", workers: workers), informer: namespaces, key: ObjectKey.of, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "serviceaccount"))
        controller.watch(accounts) { account in
            Self.accountNames.contains(account.name ?? "") ? [account.namespace ?? ""] : []
        }
    }

    /// Reconciles namespaces until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let namespaces: Lister
        let serviceAccounts: Lister
        let client: ResourceClient<JSONValue>

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let namespace = namespaces.get(key), namespace.isActiveNamespace else { return .done }
            for name in ServiceAccountController.accountNames where serviceAccounts.namespace(key).get(name) == nil {
                let account: JSONValue = [
                    "apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": .string(name), "namespace": .string(key)],
                ]
                do {
                    _ = try await client.namespace(key).create(account)
                    logger.debug("created service account", metadata: ["name": "\(name)"])
                } catch let error as APIError where error.isAlreadyExists {
                    continue
                } catch let error as APIError where error.isForbidden {
                    // The namespace started terminating after the cache saw it.
                    return .done
                }
            }
            return .done
        }
    }
}

extension JSONValue {
    /// Whether a namespace accepts new objects (not being deleted).
    var isActiveNamespace: Bool {
        deletionTimestamp == nil && self[path: "status", "phase"]?.stringValue != "Terminating"
    }
}
