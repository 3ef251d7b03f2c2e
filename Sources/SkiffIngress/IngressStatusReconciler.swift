import Logging
import SkiffAPI
import SkiffClient
import SkiffModels

/// Writes `status.loadBalancer.ingress` of the Ingresses the controller serves: the InternalIP
/// of its node, where the proxy listens (as ingress controllers publish their address).
/// Ingresses of other classes are left alone.
struct IngressStatusReconciler: Reconciler {
    let configuration: IngressConfiguration
    let ingresses: TypedLister<NetworkingV1.Ingress>
    let classes: TypedLister<NetworkingV1.IngressClass>
    let nodes: TypedLister<CoreV1.Node>
    let client: ResourceClient<NetworkingV1.Ingress>

    func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
        guard let ingress = ingresses.get(key),
            IngressClassMembership(className: configuration.className, classes: classes.list()).serves(ingress)
        else { return .done }
        guard let address = nodes.get(configuration.nodeName)?.status?.addresses?.first(where: { $0.type == "InternalIP" })?.address else {
            // The node registers shortly after the controller starts.
            return .requeueAfter(.seconds(1))
        }
        let wanted = [NetworkingV1.IngressLoadBalancerIngress(ip: address)]
        guard ingress.status?.loadBalancer?.ingress != wanted else { return .done }
        var updated = ingress
        updated.status = NetworkingV1.IngressStatus(loadBalancer: NetworkingV1.IngressLoadBalancerStatus(ingress: wanted))
        do {
            _ = try await client.namespace(ingress.namespace).updateStatus(updated)
            logger.debug("set the ingress address", metadata: ["ingress": "\(key)", "address": "\(address)"])
        } catch let error as APIError where error.isNotFound {}
        return .done
    }
}
