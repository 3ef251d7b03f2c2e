import SkiffAPI
import SkiffAPIServer
import SkiffClient

/// Upstream's delegating authorizer of extension servers: each request is decided by the main
/// server, asked with a `SubjectAccessReview` for the user the front proxy named (its
/// `status.allowed`, or `denied`; otherwise no opinion, which refuses). Members of
/// `system:masters` (the aggregator's own checks among them) and the health paths are allowed
/// without asking, as upstream's defaults (`--authorization-always-allow-paths`).
struct SubjectAccessReviewAuthorizer: Authorizer {
    static let alwaysAllowGroups: Set<String> = [UserInfo.privilegedGroup]
    static let alwaysAllowPaths: Set<String> = ["/healthz", "/readyz", "/livez"]

    let reviews: ResourceClient<JSONValue>

    init(client: RESTClient) {
        reviews = DynamicClient(rest: client)
            .resource(GroupVersionResource(group: "authorization.k8s.io", version: "v1", resource: "subjectaccessreviews"))
    }

    func authorize(_ attributes: AuthorizationAttributes) async -> AuthorizationDecision {
        if !Self.alwaysAllowGroups.isDisjoint(with: attributes.user.groups)
            || (!attributes.isResourceRequest && Self.alwaysAllowPaths.contains(attributes.path)) {
            return AuthorizationDecision(.allow)
        }
        do {
            let status = try await reviews.create(Self.review(of: attributes))["status"] ?? .null
            if status["allowed"]?.boolValue == true { return AuthorizationDecision(.allow, reason: status["reason"]?.stringValue ?? "") }
            let verdict: AuthorizationDecision.Verdict = status["denied"]?.boolValue == true ? .deny : .noOpinion
            return AuthorizationDecision(verdict, reason: status["reason"]?.stringValue ?? "")
        } catch {
            return AuthorizationDecision(.noOpinion, reason: "the SubjectAccessReview failed: \(error)")
        }
    }

    /// The review asking about `attributes`.
    static func review(of attributes: AuthorizationAttributes) -> JSONValue {
        let user = attributes.user
        var spec: JSONValue = [
            "user": .string(user.name), "groups": .array(user.groups.map(JSONValue.string)),
            "extra": .object(user.extra.mapValues { .array($0.map(JSONValue.string)) }),
        ]
        if !user.uid.isEmpty { spec["uid"] = .string(user.uid) }
        if attributes.isResourceRequest {
            spec["resourceAttributes"] = [
                "namespace": .string(attributes.namespace), "verb": .string(attributes.verb), "group": .string(attributes.apiGroup),
                "version": .string(attributes.apiVersion), "resource": .string(attributes.resource),
                "subresource": .string(attributes.subresource), "name": .string(attributes.name),
            ]
        } else {
            spec["nonResourceAttributes"] = ["path": .string(attributes.path), "verb": .string(attributes.verb)]
        }
        return ["apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec]
    }
}
