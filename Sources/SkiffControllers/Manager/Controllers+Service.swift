import ServiceLifecycle

// Every controller is a swift-service-lifecycle `Service` the manager runs in its group: its
// `run()` drains its work queue on graceful shutdown (periodic sweeps simply stop) and stops at
// once when cancelled.

extension NamespaceController: Service {}
extension ServiceAccountController: Service {}
extension RootCACertPublisher: Service {}
extension GarbageCollector: Service {}
extension ReplicaSetController: Service {}
extension ReplicationManager: Service {}
extension DeploymentController: Service {}
extension StatefulSetController: Service {}
extension DaemonSetController: Service {}
extension JobController: Service {}
extension CronJobController: Service {}
extension TTLAfterFinishedController: Service {}
extension EndpointsController: Service {}
extension EndpointSliceController: Service {}
extension NodeLifecycleController: Service {}
extension TaintEvictionController: Service {}
extension PodGCController: Service {}
extension DisruptionController: Service {}
extension HorizontalPodAutoscalerController: Service {}
extension ResourceQuotaController: Service {}
extension CertificateSigningController: Service {}
extension CertificateApprovingController: Service {}
extension CertificateCleaningController: Service {}
extension ServiceAccountTokenController: Service {}
extension ServiceLoadBalancerController: Service {}
extension PersistentVolumeBinder: Service {}
extension VolumeProtectionController: Service {}
extension ClaimProtectionController: Service {}
extension LocalPathProvisioner: Service {}
extension EphemeralVolumeController: Service {}
extension TTLController: Service {}
