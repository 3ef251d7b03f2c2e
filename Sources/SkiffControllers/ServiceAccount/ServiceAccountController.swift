import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Keeps a `default` ServiceAccount in every active namespace (upstream's serviceaccounts
/// controller): namespaces are the keys; a deleted `default` account queues its namespace again.
public struct ServiceAccountController: Sendable {
    /// The accounts every namespace gets.
    static let accountNames = ["default"]

    private let controller: Controller<CoreV1.Namespace>

    public init(context: ControllerContext, workers: Int = 1) {
        let namespaces = context.informers.informer(for: CoreV1.Namespace.self)
        let accounts = context.informers.informer(for: CoreV1.ServiceAccount.self)
        let sync = Sync(namespaces: namespaces.lister, serviceAccounts: accounts.lister, client: context.client.core.v1.serviceAccounts())
        controller = Controller(
            configuration: .init(name: "serviceaccount", workers: workers), informer: namespaces, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "serviceaccount"))
        controller.watch(accounts) { account in
            Self.accountNames.contains(account.name) ? [account.namespace] : []
        }
    }

    /// Reconciles namespaces until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let namespaces: TypedLister<CoreV1.Namespace>
        let serviceAccounts: TypedLister<CoreV1.ServiceAccount>
        let client: ResourceClient<CoreV1.ServiceAccount>

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let namespace = namespaces.get(key), namespace.isActive else { return .done }
            for name in ServiceAccountController.accountNames where serviceAccounts.namespace(key).get(name) == nil {
                let account = CoreV1.ServiceAccount(metadata: ObjectMeta(name: name, namespace: key))
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

extension CoreV1.Namespace {
    /// Whether the namespace accepts new objects (not being deleted).
    var isActive: Bool {
        !isBeingDeleted && status?.phase != "Terminating"
    }
}
