import SkiffAPI
import SkiffClient
import SkiffModels

/// The token of one controller's service account (upstream's dynamic controller client
/// builder): gets or creates the account in `kube-system` with the manager's own client, asks
/// the TokenRequest API for an hour's token, and asks again once 80 % of its lifetime has passed.
/// Concurrent callers during a renewal share one request.
actor ServiceAccountTokenSource: BearerTokenSource {
    static let namespace = "kube-system"
    /// The lifetime asked for, as upstream's builder.
    static let expirationSeconds: Int64 = 3600

    private let client: KubernetesClient
    private let account: String
    private let clock: any TimestampClock
    private var current: (token: String, renewAt: Timestamp)?
    private var renewal: Task<(token: String, renewAt: Timestamp), any Error>?

    /// A source for `kube-system/account`, requested through `client` (the manager's).
    init(account: String, client: KubernetesClient, clock: any TimestampClock = SystemClock()) {
        self.account = account
        self.client = client
        self.clock = clock
    }

    func token() async throws -> String {
        if let current, clock.now < current.renewAt { return current.token }
        let task = renewal ?? Task { try await self.request() }
        renewal = task
        defer { renewal = nil }
        let fresh = try await task.value
        current = fresh
        return fresh.token
    }

    private func request() async throws -> (token: String, renewAt: Timestamp) {
        try await ensureServiceAccount()
        let body: JSONValue = [
            "apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
            "spec": ["expirationSeconds": .int(Self.expirationSeconds)],
        ]
        var tokenRequest = accountRequest.subresource("token").body(body)
        tokenRequest.method = .POST
        let response = try await client.rest.send(tokenRequest).json()
        guard let token = response[path: "status", "token"]?.stringValue,
            let expiry = response[path: "status", "expirationTimestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else { throw ClientError.decoding("the TokenRequest answer for \(Self.namespace)/\(account) has no token") }
        let now = clock.now.seconds
        return (token, Timestamp(seconds: now + max(0, expiry.seconds - now) * 8 / 10))
    }

    private func ensureServiceAccount() async throws {
        do {
            _ = try await client.rest.send(accountRequest)
        } catch let error as APIError where error.isNotFound {
            let account: JSONValue = ["apiVersion": "v1", "kind": "ServiceAccount", "metadata": ["name": .string(account)]]
            do {
                _ = try await client.rest.send(
                    APIRequest(.POST, CoreV1.ServiceAccount.groupVersionResource)
                        .namespace(Self.namespace).body(account))
            } catch let error as APIError where error.isAlreadyExists {}
        }
    }

    /// `GET` of the account; the caller sets another method.
    private var accountRequest: APIRequest {
        APIRequest(.GET, CoreV1.ServiceAccount.groupVersionResource).namespace(Self.namespace).name(account)
    }
}
