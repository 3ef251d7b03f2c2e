/// `emptyDir`: an empty directory the pod's containers share, on the node's disk or, with
/// `medium: Memory`, a tmpfs. `sizeLimit` is not enforced.
struct EmptyDirVolume: PodVolume {
    var medium: String

    var plugin: String? { "kubernetes.io~empty-dir" }
    var inMemory: Bool { medium == "Memory" }

    func setUp(in directory: String, _ context: VolumeContext) async throws -> String { directory }
}
