import SkiffAPI

/// The service account tokens of a node's pods (upstream's kubelet token manager): a token is
/// requested once per pod, account, audience and lifetime, and again once 80 % of its lifetime
/// has passed; a pod's tokens are forgotten with the pod.
actor ServiceAccountTokenCache {
    private let reader: any VolumeSourceReader
    private var tokens: [ServiceAccountTokenRequest: IssuedToken] = [:]

    init(reader: any VolumeSourceReader) {
        self.reader = reader
    }

    /// The token for `request`, asked for anew when none is held or it is due for renewal at `now`.
    func token(_ request: ServiceAccountTokenRequest, now: Timestamp) async throws -> IssuedToken {
        if let held = tokens[request], now < held.renewAt { return held }
        let issued = try await reader.serviceAccountToken(request)
        tokens[request] = issued
        return issued
    }

    /// When the first of the pod's tokens is due for renewal.
    func renewal(podUID: String) -> Timestamp? {
        tokens.filter { $0.key.podUID == podUID }.map(\.value.renewAt).min()
    }

    /// Forgets the pod's tokens.
    func forget(podUID: String) {
        tokens = tokens.filter { $0.key.podUID != podUID }
    }
}
