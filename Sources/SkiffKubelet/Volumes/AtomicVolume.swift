/// A volume whose contents are files the kubelet writes (config maps, secrets, downward API,
/// projections): each set-up computes them and `AtomicWriter` puts them in place.
protocol AtomicVolume: PodVolume {
    /// The volume's files, by path relative to it.
    func files(_ context: VolumeContext) async throws -> [String: VolumeFile]
}

extension AtomicVolume {
    /// Writes the files (nothing when they did not change); the volume's directory is what containers bind.
    func setUp(in directory: String, _ context: VolumeContext) async throws -> String {
        try AtomicWriter(directory: directory).write(try await files(context), now: context.now)
        return directory
    }
}
