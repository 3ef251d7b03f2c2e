import SkiffModels

/// `secret`: the secret's keys as files (see `KeyedContents`) on a tmpfs, written atomically
/// and rewritten when the secret changed.
struct SecretVolume: AtomicVolume {
    var source: CoreV1.SecretVolumeSource

    var plugin: String? { "kubernetes.io~secret" }
    var inMemory: Bool { true }

    func files(_ context: VolumeContext) async throws -> [String: VolumeFile] {
        try await KeyedContents.secret(
            name: source.secretName ?? "", items: source.items, defaultMode: source.defaultMode, optional: source.optional, context)
    }
}
