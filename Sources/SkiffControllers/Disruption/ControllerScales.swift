import SkiffAPI
import SkiffClient
import SkiffModels

/// The scale of the controllers of a budget's pods (upstream's disruption controller finders):
/// a pod's controller is a ReplicaSet (unless a Deployment controls that set, then the
/// Deployment), a StatefulSet or a ReplicationController, found in the caches with the UID the
/// reference names; its scale is `spec.replicas`.
struct ControllerScales: Sendable {
    let replicaSets: TypedLister<AppsV1.ReplicaSet>
    let deployments: TypedLister<AppsV1.Deployment>
    let statefulSets: TypedLister<AppsV1.StatefulSet>
    let replicationControllers: TypedLister<CoreV1.ReplicationController>

    /// A pod without a controller this finds (upstream's `found no controllers for pod`).
    struct NoController: Error, CustomStringConvertible {
        var pod: String
        var description: String { "found no controllers for pod \"\(pod)\"" }
    }

    /// The pods' expected count (the sum of their distinct controllers' scales) and the names
    /// of the pods without a controller (upstream's `getExpectedScale`).
    func expectedCount(of pods: [CoreV1.Pod]) throws -> (count: Int, unmanaged: [String]) {
        var scales: [String: Int] = [:]
        var unmanaged: [String] = []
        for pod in pods {
            guard let reference = pod.metadata?.controllerReference else {
                unmanaged.append(pod.name)
                continue
            }
            if scales[reference.uid] != nil { continue }
            guard let found = controllerScale(reference, namespace: pod.namespace) else { throw NoController(pod: pod.name) }
            scales[found.uid] = found.scale
        }
        return (scales.values.reduce(0, +), unmanaged)
    }

    /// The UID and scale of the controller `reference` names, if cached.
    private func controllerScale(_ reference: OwnerReference, namespace: String) -> (uid: String, scale: Int)? {
        switch (Self.group(of: reference), reference.kind) {
        case ("apps"?, "ReplicaSet"), ("extensions"?, "ReplicaSet"):
            guard let set = Self.cached(replicaSets, reference, namespace) else { return nil }
            guard let owner = set.metadata?.controllerReference, owner.kind == "Deployment" else {
                return (reference.uid, Int(set.spec?.replicas ?? 1))
            }
            let ownerGroup = Self.group(of: owner)
            guard ownerGroup == "apps" || ownerGroup == "extensions", let deployment = Self.cached(deployments, owner, namespace) else { return nil }
            return (owner.uid, Int(deployment.spec?.replicas ?? 1))
        case ("apps"?, "StatefulSet"):
            return Self.cached(statefulSets, reference, namespace).map { (reference.uid, Int($0.spec?.replicas ?? 1)) }
        case (""?, "ReplicationController"):
            return Self.cached(replicationControllers, reference, namespace).map { (reference.uid, Int($0.spec?.replicas ?? 1)) }
        default:
            return nil
        }
    }

    private static func group(of reference: OwnerReference) -> String? {
        GroupVersion(apiVersion: reference.apiVersion)?.group
    }

    private static func cached<Object: KubernetesObject>(_ lister: TypedLister<Object>, _ reference: OwnerReference, _ namespace: String) -> Object? {
        guard let object = lister.namespace(namespace).get(reference.name), object.metadata?.uid == reference.uid else { return nil }
        return object
    }
}
