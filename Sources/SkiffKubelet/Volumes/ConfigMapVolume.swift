import SkiffModels

/// `configMap`: the config map's keys as files (see `KeyedContents`), written atomically and
/// rewritten when the config map changed.
struct ConfigMapVolume: AtomicVolume {
    var source: CoreV1.ConfigMapVolumeSource

    var plugin: String? { "kubernetes.io~configmap" }
    var inMemory: Bool { false }

    func files(_ context: VolumeContext) async throws -> [String: VolumeFile] {
        try await KeyedContents.configMap(
            name: source.name ?? "", items: source.items, defaultMode: source.defaultMode, optional: source.optional, context)
    }
}
