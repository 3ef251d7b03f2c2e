import SkiffModels

/// `downwardAPI`: the pod's own metadata and its containers' resources as files (see
/// `DownwardAPIValues`), written atomically and rewritten when labels or annotations change.
struct DownwardAPIVolume: AtomicVolume {
    var source: CoreV1.DownwardAPIVolumeSource

    var plugin: String? { "kubernetes.io~downward-api" }
    var inMemory: Bool { false }

    func files(_ context: VolumeContext) async throws -> [String: VolumeFile] {
        try DownwardAPIValues.files(source.items ?? [], defaultMode: source.defaultMode, context)
    }
}
