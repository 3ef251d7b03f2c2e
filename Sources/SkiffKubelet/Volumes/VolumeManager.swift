import Foundation
import SkiffAPI
import SkiffModels

/// Prepares the volumes of a node's pods before their containers start (upstream's kubelet
/// volume manager, reduced): each volume of a supported kind (`PodVolume`) under
/// `<podsDirectory>/<uid>/volumes/<plugin>/<name>` (a tmpfs for memory-backed kinds), again
/// every `refreshPeriod` so that changed config maps, secrets, labels and due tokens reach
/// running pods, and removed with the pod. A failed first set-up is retried with a doubling
/// delay (from 1 s up to 2 min 2 s, as upstream's mount back-off). The pod's directory also
/// holds its managed hosts file (`etc-hosts`).
actor VolumeManager {
    /// How often prepared volumes are refreshed (upstream's kubelet sync period is 1 min).
    static let defaultRefreshPeriod: Duration = .seconds(60)
    static let initialRetrySeconds: Int64 = 1
    static let maximumRetrySeconds: Int64 = 122

    /// What preparing a pod's volumes came to.
    enum Outcome: Sendable, Equatable {
        /// Host paths by volume name, and when to refresh them.
        case ready([String: String], refreshAt: Timestamp)
        /// Not ready: upstream's `FailedMount` message, whether it is new (worth an event) and when to retry.
        case failed(String, fresh: Bool, retryAt: Timestamp)
    }

    private struct PodVolumes {
        var paths: [String: String]?
        var refreshAt: Timestamp
        var failure: String?
        var retrySeconds: Int64 = 0
        /// The volume directories a tmpfs was mounted on.
        var inMemory: Set<String> = []
    }

    private let podsDirectory: String
    private let reader: any VolumeSourceReader
    private let mounter: any VolumeMounter
    private let tokens: ServiceAccountTokenCache
    private let nodeAllocatable: [String: String]
    private let refreshPeriod: Duration
    private var pods: [String: PodVolumes] = [:]

    /// A manager keeping pods' volumes under `podsDirectory`.
    init(
        podsDirectory: String, reader: any VolumeSourceReader, mounter: any VolumeMounter = HostVolumeMounter(),
        nodeAllocatable: [String: String] = [:], refreshPeriod: Duration = defaultRefreshPeriod
    ) {
        self.podsDirectory = podsDirectory
        self.reader = reader
        self.mounter = mounter
        tokens = ServiceAccountTokenCache(reader: reader)
        self.nodeAllocatable = nodeAllocatable
        self.refreshPeriod = refreshPeriod
    }

    /// The pod's volumes at `now`: prepared (or refreshed) when due, else as prepared before.
    /// A failed refresh keeps the volumes as they were (running containers keep them) and reports nothing new.
    func setUp(_ pod: CoreV1.Pod, uid: String, now: Timestamp) async -> Outcome {
        var state = pods[uid] ?? PodVolumes(refreshAt: now)
        defer { pods[uid] = state }
        if now < state.refreshAt {
            if let paths = state.paths { return .ready(paths, refreshAt: state.refreshAt) }
            return .failed(state.failure ?? "", fresh: false, retryAt: state.refreshAt)
        }
        do {
            let paths = try await prepare(pod, uid: uid, now: now, inMemory: &state.inMemory)
            var refreshAt = now.advanced(by: refreshPeriod)
            if let renewal = await tokens.renewal(podUID: uid) { refreshAt = min(refreshAt, renewal) }
            state = PodVolumes(paths: paths, refreshAt: refreshAt, inMemory: state.inMemory)
            return .ready(paths, refreshAt: refreshAt)
        } catch {
            if let paths = state.paths {
                state.refreshAt = now.advanced(by: refreshPeriod)
                return .ready(paths, refreshAt: state.refreshAt)
            }
            state.retrySeconds = state.retrySeconds == 0 ? Self.initialRetrySeconds : min(state.retrySeconds * 2, Self.maximumRetrySeconds)
            state.refreshAt = now.adding(seconds: state.retrySeconds)
            state.failure = "\(error)"
            return .failed("\(error)", fresh: true, retryAt: state.refreshAt)
        }
    }

    /// Writes the pod's managed hosts file to `<pod dir>/etc-hosts` (mode 0644) and returns its path.
    func writeHostsFile(_ file: PodHostsFile, uid: String) throws -> String {
        let path = "\(podDirectory(uid))/etc-hosts"
        try FileManager.default.createDirectory(atPath: podDirectory(uid), withIntermediateDirectories: true)
        try Data(file.text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        return path
    }

    /// Unmounts and removes the pod's volumes and forgets its tokens.
    func tearDown(uid: String) async {
        let directory = podDirectory(uid)
        await mounter.unmountAll(under: directory)
        try? FileManager.default.removeItem(atPath: directory)
        await tokens.forget(podUID: uid)
        pods[uid] = nil
    }

    /// Unmounts every pod's memory-backed volumes (the kubelet stops and its containers with it).
    func shutdown() async {
        await mounter.unmountAll(under: podsDirectory)
    }

    /// Sets up every volume; a memory-backed one gets its tmpfs once (`inMemory` remembers it).
    private func prepare(_ pod: CoreV1.Pod, uid: String, now: Timestamp, inMemory: inout Set<String>) async throws -> [String: String] {
        let context = VolumeContext(pod: pod, reader: reader, tokens: tokens, nodeAllocatable: nodeAllocatable, now: now)
        var paths: [String: String] = [:]
        for volume in pod.spec?.volumes ?? [] {
            guard let kind = volume.podVolume(podName: pod.name) else { continue }
            do {
                var directory = ""
                if let plugin = kind.plugin {
                    directory = "\(podDirectory(uid))/volumes/\(plugin)/\(volume.name)"
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                    if kind.inMemory, !inMemory.contains(directory) {
                        try await mounter.mountMemory(at: directory)
                        inMemory.insert(directory)
                    }
                }
                paths[volume.name] = try await kind.setUp(in: directory, context)
            } catch {
                throw VolumeSetUpError("MountVolume.SetUp failed for volume \"\(volume.name)\" : \(error)")
            }
        }
        return paths
    }

    private func podDirectory(_ uid: String) -> String { "\(podsDirectory)/\(uid)" }
}
