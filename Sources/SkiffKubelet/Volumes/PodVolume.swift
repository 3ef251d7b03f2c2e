import SkiffAPI
import SkiffComponentHelpers
import SkiffModels

/// One kind of pod volume (upstream's volume plugins): how a volume of that kind is prepared on
/// the node for a pod's containers to bind.
protocol PodVolume: Sendable {
    /// The directory naming the kind under the pod's `volumes` directory (`kubernetes.io~empty-dir`); nil
    /// for volumes that live elsewhere on the host (`hostPath`).
    var plugin: String? { get }
    /// Whether the volume's directory is a tmpfs (memory), as upstream keeps secrets and projected tokens.
    var inMemory: Bool { get }
    /// Prepares (or refreshes) the volume in `directory` (existing, and a tmpfs if `inMemory`);
    /// returns the host path the containers bind.
    func setUp(in directory: String, _ context: VolumeContext) async throws -> String
}

/// What a volume is prepared from.
struct VolumeContext: Sendable {
    var pod: CoreV1.Pod
    var reader: any VolumeSourceReader
    var tokens: ServiceAccountTokenCache
    /// The node's allocatable resources (`cpu`, `memory`, `ephemeral-storage`), for a container without limits.
    var nodeAllocatable: [String: String]
    var now: Timestamp
}

/// Why a volume cannot be prepared, in upstream's words (`configmap "x" not found`).
struct VolumeSetUpError: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}

extension CoreV1.Volume {
    /// The volume's kind for pod `podName`, or nil for kinds this kubelet cannot prepare; an
    /// `ephemeral` volume is the claim the ephemeral-volume controller made for it.
    func podVolume(podName: String) -> (any PodVolume)? {
        if let emptyDir { return EmptyDirVolume(medium: emptyDir.medium ?? "") }
        if let configMap { return ConfigMapVolume(source: configMap) }
        if let secret { return SecretVolume(source: secret) }
        if let downwardAPI { return DownwardAPIVolume(source: downwardAPI) }
        if let projected { return ProjectedVolume(source: projected) }
        if let hostPath { return HostPathVolume(path: hostPath.path, type: hostPath.type ?? "") }
        if let claimName = claimName(podName: podName) { return PersistentVolumeClaimVolume(claimName: claimName) }
        return nil
    }
}
