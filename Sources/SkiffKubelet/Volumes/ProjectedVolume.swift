import SkiffModels

/// `projected`: config maps, secrets, downward API items and service account tokens in one
/// directory on a tmpfs, written atomically together. A token is the pod's service account's,
/// bound to the pod, for the projection's audience and lifetime (default 1 h), and is renewed
/// once 80 % of its life has passed (`ServiceAccountTokenCache`).
struct ProjectedVolume: AtomicVolume {
    /// Upstream's default token lifetime in a projection.
    static let defaultExpirationSeconds: Int64 = 3600

    var source: CoreV1.ProjectedVolumeSource

    var plugin: String? { "kubernetes.io~projected" }
    var inMemory: Bool { true }

    func files(_ context: VolumeContext) async throws -> [String: VolumeFile] {
        var files: [String: VolumeFile] = [:]
        let mode = source.defaultMode
        for projection in source.sources ?? [] {
            if let map = projection.configMap {
                files.merge(try await KeyedContents.configMap(name: map.name ?? "", items: map.items, defaultMode: mode, optional: map.optional, context)) { $1 }
            }
            if let secret = projection.secret {
                files.merge(try await KeyedContents.secret(name: secret.name ?? "", items: secret.items, defaultMode: mode, optional: secret.optional, context)) { $1 }
            }
            if let downward = projection.downwardAPI {
                files.merge(try DownwardAPIValues.files(downward.items ?? [], defaultMode: mode, context)) { $1 }
            }
            if let token = projection.serviceAccountToken {
                let pod = context.pod
                let request = ServiceAccountTokenRequest(
                    namespace: pod.namespace, serviceAccount: pod.spec?.serviceAccountName ?? "default", audience: token.audience ?? "",
                    expirationSeconds: token.expirationSeconds ?? Self.defaultExpirationSeconds, podName: pod.name, podUID: pod.metadata?.uid ?? "")
                let issued = try await context.tokens.token(request, now: context.now)
                files[token.path] = VolumeFile(text: issued.token, mode: mode ?? VolumeFile.defaultMode)
            }
        }
        return files
    }
}
