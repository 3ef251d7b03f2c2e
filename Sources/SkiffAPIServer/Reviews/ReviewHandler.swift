import NIOHTTP1
import SkiffAPI
import SkiffRegistry

/// Answers the review kinds (`POST` only, nothing stored): access reviews ask the authorizer,
/// the rules review lists what the authorizer can tell, `SelfSubjectReview` returns the
/// requester and `TokenReview` runs a token through the authenticator. The answer is the request
/// with its `status` filled in.
struct ReviewHandler: Sendable {
    let info: ResourceInfo
    let namespace: String?
    let request: HTTPRequest
    let user: UserInfo
    let authenticator: any Authenticator
    let authorizer: any Authorizer

    func handle() async throws -> HTTPResponse {
        guard request.method == .POST else {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        var review = try RequestBody.decodeObject(request)
        review["apiVersion"] = .string(info.apiVersion)
        review["kind"] = .string(info.kind)
        var metadata = review["metadata"]?.objectValue ?? [:]
        metadata["creationTimestamp"] = .null
        if let namespace { metadata["namespace"] = .string(namespace) }
        review["metadata"] = .object(metadata)
        switch info.kind {
        case "SelfSubjectAccessReview":
            review["status"] = try await accessReview(spec: review["spec"] ?? .emptyObject, user: user)
        case "SubjectAccessReview":
            review["status"] = try await accessReview(spec: review["spec"] ?? .emptyObject, user: try subject(of: review))
        case "LocalSubjectAccessReview":
            try checkLocal(review)
            review["status"] = try await accessReview(spec: review["spec"] ?? .emptyObject, user: try subject(of: review))
        case "SelfSubjectRulesReview":
            review["status"] = rulesReview(namespace: review[path: "spec", "namespace"]?.stringValue ?? "")
        case "SelfSubjectReview":
            review["status"] = ["userInfo": Self.userInfoJSON(user)]
        case "TokenReview":
            review["status"] = await tokenReview(review["spec"] ?? .emptyObject)
        default:
            throw APIError(code: 404, reason: .notFound, message: "the server could not find the requested resource")
        }
        return .json(review, status: .created)
    }

    private var kind: GroupKind { GroupKind(group: info.group, kind: info.kind) }

    private func invalid(_ errors: [FieldError]) -> APIError { .invalid(kind: kind, name: "", errors: errors) }

    /// The allow/deny answer for the spec's resource or non-resource attributes.
    private func accessReview(spec: JSONValue, user: UserInfo) async throws -> JSONValue {
        let resource = spec["resourceAttributes"].flatMap { $0.isNull ? nil : $0 }
        let nonResource = spec["nonResourceAttributes"].flatMap { $0.isNull ? nil : $0 }
        var info: RequestInfo
        switch (resource, nonResource) {
        case (nil, nil):
            throw invalid([.required("spec.resourceAttributes", "exactly one of nonResourceAttributes or resourceAttributes must be specified")])
        case (.some, .some(let nonResource)):
            throw invalid([.invalid("spec.nonResourceAttributes", nonResource, "cannot be specified in combination with resourceAttributes")])
        case (let resource?, nil):
            func field(_ key: String) -> String { resource[key]?.stringValue ?? "" }
            info = RequestInfo(path: "", verb: field("verb"))
            info.isResourceRequest = true
            info.namespace = field("namespace")
            info.apiGroup = field("group")
            info.apiVersion = field("version")
            info.resource = field("resource")
            info.subresource = field("subresource")
            info.name = field("name")
        case (nil, let nonResource?):
            info = RequestInfo(path: nonResource["path"]?.stringValue ?? "", verb: nonResource["verb"]?.stringValue ?? "")
        }
        let decision = await authorizer.authorize(AuthorizationAttributes(user: user, requestInfo: info))
        var status: [String: JSONValue] = ["allowed": .bool(decision.verdict == .allow)]
        if decision.verdict == .deny { status["denied"] = true }
        if !decision.reason.isEmpty { status["reason"] = .string(decision.reason) }
        return .object(status)
    }

    /// The user a (local) subject access review asks about.
    private func subject(of review: JSONValue) throws -> UserInfo {
        let spec = review["spec"] ?? .emptyObject
        let name = spec["user"]?.stringValue ?? ""
        let groups = spec["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard !name.isEmpty || !groups.isEmpty else {
            throw invalid([.invalid("spec.user", .string(name), "at least one of user or group must be specified")])
        }
        var extra: [String: [String]] = [:]
        for (key, values) in spec["extra"]?.objectValue ?? [:] { extra[key] = values.arrayValue?.compactMap(\.stringValue) ?? [] }
        return UserInfo(name: name, uid: spec["uid"]?.stringValue ?? "", groups: groups, extra: extra)
    }

    /// A local review asks about resources in its own namespace only.
    private func checkLocal(_ review: JSONValue) throws {
        guard let namespace else { return }
        if review[path: "spec", "nonResourceAttributes"].map({ !$0.isNull }) == true {
            throw invalid([.invalid("spec.nonResourceAttributes", review[path: "spec", "nonResourceAttributes"] ?? .null, "disallowed on this kind of request")])
        }
        let asked = review[path: "spec", "resourceAttributes", "namespace"]?.stringValue ?? ""
        guard asked == namespace else {
            throw APIError.badRequest("spec.resourceAttributes.namespace must match namespace: \(namespace)")
        }
    }

    /// What the authorizer can list of the requester's permissions in `namespace`.
    private func rulesReview(namespace: String) -> JSONValue {
        let resolution = (authorizer as? any RuleResolver)?.rules(for: user, namespace: namespace)
            ?? RuleResolution(incomplete: true, errors: ["the authorizer does not list rules"])
        var resourceRules: [JSONValue] = []
        var nonResourceRules: [JSONValue] = []
        for rule in resolution.rules {
            if !rule.resources.isEmpty {
                var entry: JSONValue = ["verbs": .array(rule.verbs.map(JSONValue.string)), "apiGroups": .array(rule.apiGroups.map(JSONValue.string)),
                                        "resources": .array(rule.resources.map(JSONValue.string))]
                if !rule.resourceNames.isEmpty { entry["resourceNames"] = .array(rule.resourceNames.map(JSONValue.string)) }
                resourceRules.append(entry)
            }
            if !rule.nonResourceURLs.isEmpty {
                nonResourceRules.append(["verbs": .array(rule.verbs.map(JSONValue.string)), "nonResourceURLs": .array(rule.nonResourceURLs.map(JSONValue.string))])
            }
        }
        var status: JSONValue = ["resourceRules": .array(resourceRules), "nonResourceRules": .array(nonResourceRules), "incomplete": .bool(resolution.incomplete)]
        if !resolution.errors.isEmpty { status["evaluationError"] = .string(resolution.errors.joined(separator: ", ")) }
        return status
    }

    /// Whether the spec's token authenticates, and as whom.
    private func tokenReview(_ spec: JSONValue) async -> JSONValue {
        let token = spec["token"]?.stringValue ?? ""
        var headers = HTTPHeaders()
        headers.add(name: "Authorization", value: "Bearer " + token)
        let probe = HTTPRequest(method: .GET, uri: "/", headers: headers, body: [])
        guard !token.isEmpty, let user = try? await authenticator.authenticate(probe), user.name != UserInfo.anonymous else {
            return ["authenticated": false, "user": .emptyObject, "error": "invalid bearer token"]
        }
        return ["authenticated": true, "user": Self.userInfoJSON(user)]
    }

    /// A user as `authentication.k8s.io/v1` `UserInfo`.
    static func userInfoJSON(_ user: UserInfo) -> JSONValue {
        var object: [String: JSONValue] = ["username": .string(user.name), "groups": .array(user.groups.map(JSONValue.string))]
        if !user.uid.isEmpty { object["uid"] = .string(user.uid) }
        if !user.extra.isEmpty { object["extra"] = .object(user.extra.mapValues { .array($0.map(JSONValue.string)) }) }
        return .object(object)
    }
}
