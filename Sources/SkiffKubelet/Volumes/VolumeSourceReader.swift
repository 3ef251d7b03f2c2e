import SkiffAPI
import SkiffModels

/// What pod volumes are filled from, read from the API server as the pod's node: config maps,
/// secrets, service account tokens, claims and their volumes (tests substitute their own); also
/// the pods' image pull secrets.
protocol VolumeSourceReader: Sendable {
    /// The config map's keys and contents (`data` as UTF-8 and `binaryData`); nil when it does not exist.
    func configMap(namespace: String, name: String) async throws -> [String: [UInt8]]?
    /// The secret's type and decoded contents; nil when it does not exist.
    func typedSecret(namespace: String, name: String) async throws -> (type: String, data: [String: [UInt8]])?
    /// A token of the pod's service account from the TokenRequest API, bound to the pod.
    func serviceAccountToken(_ request: ServiceAccountTokenRequest) async throws -> IssuedToken
    /// The persistent volume claim; nil when it does not exist.
    func persistentVolumeClaim(namespace: String, name: String) async throws -> CoreV1.PersistentVolumeClaim?
    /// The persistent volume; nil when it does not exist.
    func persistentVolume(name: String) async throws -> CoreV1.PersistentVolume?
}

extension VolumeSourceReader {
    /// The secret's keys and decoded contents; nil when it does not exist.
    func secret(namespace: String, name: String) async throws -> [String: [UInt8]]? {
        try await typedSecret(namespace: namespace, name: name)?.data
    }
}

/// A token a pod's projected volume asks for.
struct ServiceAccountTokenRequest: Sendable, Hashable {
    var namespace: String
    var serviceAccount: String
    /// Empty: the API server's own audiences.
    var audience: String
    var expirationSeconds: Int64
    var podName: String
    var podUID: String
}

/// A token and its validity.
struct IssuedToken: Sendable, Hashable {
    var token: String
    var issuedAt: Timestamp
    var expiresAt: Timestamp

    /// When upstream's kubelet token manager asks again: once 80 % of the lifetime has passed.
    var renewAt: Timestamp {
        issuedAt.adding(milliseconds: (expiresAt.seconds - issuedAt.seconds) * 800)
    }
}
