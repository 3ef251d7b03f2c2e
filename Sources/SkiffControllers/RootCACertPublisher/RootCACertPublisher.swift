import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Keeps the ConfigMap `kube-root-ca.crt` in every active namespace (upstream's
/// `root-ca-cert-publisher`): `data["ca.crt"]` is the cluster CA the manager was given, with
/// upstream's description annotation. Namespaces are the keys; a changed or deleted
/// `kube-root-ca.crt` queues its namespace again, and a changed one is put back.
public struct RootCACertPublisher: Sendable {
    static let configMapName = "kube-root-ca.crt"
    static let dataKey = "ca.crt"
    static let descriptionAnnotation = "kubernetes.io/description"
    static let description = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the "
        + "internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."

    private let controller: Controller<CoreV1.Namespace>

    /// The publisher of `rootCAPEM` (empty when the manager has no CA: the API server serves plain HTTP).
    public init(context: ControllerContext, rootCAPEM: String, workers: Int = 1) {
        let namespaces = context.informers.informer(for: CoreV1.Namespace.self)
        let configMaps = context.informers.informer(for: CoreV1.ConfigMap.self)
        let sync = Sync(namespaces: namespaces.lister, configMaps: configMaps.lister, client: context.client.core.v1.configMaps(), rootCAPEM: rootCAPEM)
        controller = Controller(
            configuration: .init(name: "root_ca_cert_publisher", workers: workers), informer: namespaces, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "root-ca-cert-publisher"))
        controller.watch(configMaps) { map in
            map.name == Self.configMapName ? [map.namespace] : []
        }
    }

    /// Reconciles namespaces until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let namespaces: TypedLister<CoreV1.Namespace>
        let configMaps: TypedLister<CoreV1.ConfigMap>
        let client: ResourceClient<CoreV1.ConfigMap>
        let rootCAPEM: String

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let namespace = namespaces.get(key), namespace.isActive else { return .done }
            let data = [RootCACertPublisher.dataKey: rootCAPEM]
            do {
                guard var existing = configMaps.namespace(key).get(RootCACertPublisher.configMapName) else {
                    let annotations = [RootCACertPublisher.descriptionAnnotation: RootCACertPublisher.description]
                    let map = CoreV1.ConfigMap(
                        data: data, metadata: ObjectMeta(name: RootCACertPublisher.configMapName, namespace: key, annotations: annotations))
                    _ = try await client.namespace(key).create(map)
                    logger.debug("published the root CA")
                    return .done
                }
                let annotated = existing.metadata?.annotations?[RootCACertPublisher.descriptionAnnotation] == RootCACertPublisher.description
                guard existing.data != data || !annotated || existing.binaryData != nil else { return .done }
                existing.data = data
                existing.binaryData = nil
                var annotations = existing.metadata?.annotations ?? [:]
                annotations[RootCACertPublisher.descriptionAnnotation] = RootCACertPublisher.description
                existing.metadata?.annotations = annotations
                _ = try await client.namespace(key).update(existing)
            } catch let error as APIError where error.isAlreadyExists || error.isConflict {
                // The cache is behind: the watch brings the current map and queues the namespace again.
            } catch let error as APIError where error.isForbidden || error.isNotFound {
                // The namespace started terminating (or is gone) after the cache saw it.
            }
            return .done
        }
    }
}
