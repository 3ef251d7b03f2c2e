import SkiffAPI
import SkiffClient
import SkiffModels

/// One kind of object a quota counts, seen through its shared informer: the namespace's objects
/// as JSON (what the quota evaluator reads), and its changes queueing their namespace.
struct QuotaSource: Sendable {
    let resource: GroupResource
    let objects: @Sendable (String) -> [JSONValue]
    let waitForCacheSync: @Sendable () async -> Bool
    /// Queues on a controller the keys a map gives for the namespace of each changed object.
    let watch: @Sendable (Controller<CoreV1.Namespace>, @escaping @Sendable (String) -> [String]) -> Void

    init<Object: KubernetesObject>(_ type: Object.Type, informers: SharedInformerFactory) {
        let informer = informers.informer(for: type)
        resource = GroupResource(group: type.groupVersionKind.group, resource: type.resource)
        objects = { namespace in informer.lister.namespace(namespace).list().compactMap { try? JSONValue(encoding: $0) } }
        waitForCacheSync = { await informer.waitForCacheSync() }
        watch = { controller, map in controller.watch(informer) { map($0.namespace) } }
    }

    /// The kinds the quota controller counts: the legacy-named core objects (`pods`, `services`,
    /// `configmaps`, ...) and the workloads of apps and batch (`count/deployments.apps`, ...).
    static func builtin(_ informers: SharedInformerFactory) -> [QuotaSource] {
        [
            QuotaSource(CoreV1.Pod.self, informers: informers), QuotaSource(CoreV1.Service.self, informers: informers),
            QuotaSource(CoreV1.ConfigMap.self, informers: informers), QuotaSource(CoreV1.Secret.self, informers: informers),
            QuotaSource(CoreV1.PersistentVolumeClaim.self, informers: informers),
            QuotaSource(CoreV1.ReplicationController.self, informers: informers),
            QuotaSource(CoreV1.ResourceQuota.self, informers: informers),
            QuotaSource(AppsV1.Deployment.self, informers: informers), QuotaSource(AppsV1.ReplicaSet.self, informers: informers),
            QuotaSource(AppsV1.StatefulSet.self, informers: informers), QuotaSource(AppsV1.DaemonSet.self, informers: informers),
            QuotaSource(BatchV1.Job.self, informers: informers), QuotaSource(BatchV1.CronJob.self, informers: informers),
        ]
    }
}
