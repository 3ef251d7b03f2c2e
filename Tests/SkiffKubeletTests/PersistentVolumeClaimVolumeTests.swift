import Foundation
import SkiffAPI
import SkiffModels
import SkiffTesting
import Testing

@testable import SkiffKubelet

/// A `persistentVolumeClaim` volume waits for its claim to be bound, then binds the volume's directory.
struct PersistentVolumeClaimVolumeTests {
    let time = ManualClock()
    let root: String
    let sources: FakeVolumeSources
    let manager: VolumeManager

    init() throws {
        root = try volumeScratchDirectory()
        sources = FakeVolumeSources(clock: time)
        manager = VolumeManager(podsDirectory: root, reader: sources, mounter: FakeVolumeMounter())
    }

    static func claim(phase: String, volumeName: String?) -> CoreV1.PersistentVolumeClaim {
        CoreV1.PersistentVolumeClaim(
            metadata: ObjectMeta(name: "data", namespace: "ns"), spec: CoreV1.PersistentVolumeClaimSpec(volumeName: volumeName),
            status: CoreV1.PersistentVolumeClaimStatus(phase: phase))
    }

    @Test func pendingClaimFailsThenTheBoundVolumeDirectoryIsUsed() async throws {
        let pod = VolumeManagerTests.pod(volumes: [["name": "data", "persistentVolumeClaim": ["claimName": "data"]]])
        guard case .failed(let missing, _, _) = await manager.setUp(pod, uid: "u-1", now: time.now) else { throw VolumeTestFailure.notFailed }
        #expect(missing == "MountVolume.SetUp failed for volume \"data\" : persistentvolumeclaim \"data\" not found")

        sources.setClaim(Self.claim(phase: "Pending", volumeName: nil))
        time.advance(by: .seconds(5))
        guard case .failed(let pending, _, _) = await manager.setUp(pod, uid: "u-1", now: time.now) else { throw VolumeTestFailure.notFailed }
        #expect(pending.hasSuffix("PVC ns/data has non-bound phase (\"Pending\") or empty pvc.Spec.VolumeName (\"\")"))

        let directory = "\(root)/storage/pvc-1"
        sources.setClaim(Self.claim(phase: "Bound", volumeName: "pvc-1"))
        sources.setVolume(CoreV1.PersistentVolume(
            metadata: ObjectMeta(name: "pvc-1"), spec: CoreV1.PersistentVolumeSpec(hostPath: CoreV1.HostPathVolumeSource(path: directory, type: "DirectoryOrCreate"))))
        time.advance(by: .seconds(5))
        guard case .ready(let paths, _) = await manager.setUp(pod, uid: "u-1", now: time.now) else { throw VolumeTestFailure.notReady }
        #expect(paths["data"] == directory)
        #expect(FileManager.default.fileExists(atPath: directory))
    }

    enum VolumeTestFailure: Error {
        case notFailed, notReady
    }
}
