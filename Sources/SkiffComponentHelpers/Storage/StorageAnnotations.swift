/// The annotations and finalizers the volume binder, the scheduler, provisioners and the kubelet
/// share (upstream's `component-helpers/storage/volume` constants).
public enum StorageAnnotations {
    /// On a claim: the binder finished binding it (`"yes"`).
    public static let bindCompleted = "pv.kubernetes.io/bind-completed"
    /// On a claim or volume: the binder, not the user, set `volumeName` / `claimRef` (`"yes"`).
    public static let boundByController = "pv.kubernetes.io/bound-by-controller"
    /// On a volume: the provisioner that made it.
    public static let provisionedBy = "pv.kubernetes.io/provisioned-by"
    /// On a claim: the provisioner asked to make its volume.
    public static let storageProvisioner = "volume.kubernetes.io/storage-provisioner"
    /// The beta form of `storageProvisioner`, still written beside it.
    public static let betaStorageProvisioner = "volume.beta.kubernetes.io/storage-provisioner"
    /// On a claim: the node the scheduler picked for a `WaitForFirstConsumer` claim's first pod.
    public static let selectedNode = "volume.kubernetes.io/selected-node"
    /// The deprecated class annotation, which wins over `storageClassName` where set.
    public static let betaStorageClass = "volume.beta.kubernetes.io/storage-class"
    /// The finalizer that keeps a claim while a pod uses it.
    public static let claimProtectionFinalizer = "kubernetes.io/pvc-protection"
    /// The finalizer that keeps a volume while it is bound.
    public static let volumeProtectionFinalizer = "kubernetes.io/pv-protection"
}
