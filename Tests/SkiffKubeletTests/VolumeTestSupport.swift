import Foundation
import SkiffAPI
import SkiffModels
import Synchronization

@testable import SkiffKubelet

/// A fresh temporary directory for volume files.
func volumeScratchDirectory() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-volumes-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Config maps, secrets, tokens, claims and volumes held in memory; counts the token requests.
final class FakeVolumeSources: VolumeSourceReader {
    private struct State {
        var configMaps: [String: [String: [UInt8]]] = [:]
        var secrets: [String: (type: String, data: [String: [UInt8]])] = [:]
        var tokenRequests: [ServiceAccountTokenRequest] = []
        var claims: [String: CoreV1.PersistentVolumeClaim] = [:]
        var volumes: [String: CoreV1.PersistentVolume] = [:]
    }

    private let state = Mutex(State())
    let clock: any TimestampClock

    init(clock: any TimestampClock) {
        self.clock = clock
    }

    func setConfigMap(_ name: String, _ data: [String: String]?) {
        state.withLock { $0.configMaps[name] = data?.mapValues { Array($0.utf8) } }
    }

    func setSecret(_ name: String, _ data: [String: String]?, type: String = "Opaque") {
        state.withLock { $0.secrets[name] = data.map { (type, $0.mapValues { Array($0.utf8) }) } }
    }

    var tokenRequests: [ServiceAccountTokenRequest] { state.withLock { $0.tokenRequests } }

    func setClaim(_ claim: CoreV1.PersistentVolumeClaim) {
        state.withLock { $0.claims[claim.name] = claim }
    }

    func setVolume(_ volume: CoreV1.PersistentVolume) {
        state.withLock { $0.volumes[volume.name] = volume }
    }

    func persistentVolumeClaim(namespace: String, name: String) async throws -> CoreV1.PersistentVolumeClaim? { state.withLock { $0.claims[name] } }

    func persistentVolume(name: String) async throws -> CoreV1.PersistentVolume? { state.withLock { $0.volumes[name] } }

    func configMap(namespace: String, name: String) async throws -> [String: [UInt8]]? { state.withLock { $0.configMaps[name] } }

    func typedSecret(namespace: String, name: String) async throws -> (type: String, data: [String: [UInt8]])? {
        state.withLock { $0.secrets[name] }
    }

    func serviceAccountToken(_ request: ServiceAccountTokenRequest) async throws -> IssuedToken {
        let count = state.withLock {
            $0.tokenRequests.append(request)
            return $0.tokenRequests.count
        }
        let now = clock.now
        return IssuedToken(token: "token-\(count)", issuedAt: now, expiresAt: now.adding(seconds: request.expirationSeconds))
    }
}

/// Records memory mounts instead of mounting.
final class FakeVolumeMounter: VolumeMounter {
    private let state = Mutex((mounted: [String](), unmounted: [String]()))

    var mounted: [String] { state.withLock { $0.mounted } }
    var unmounted: [String] { state.withLock { $0.unmounted } }

    func mountMemory(at path: String) async throws { state.withLock { $0.mounted.append(path) } }

    func unmountAll(under path: String) async { state.withLock { $0.unmounted.append(path) } }
}

/// The text of a file.
func fileText(_ path: String) -> String? {
    (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
}

/// A file's permission bits.
func fileMode(_ path: String) -> Int32? {
    ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.int32Value
}
