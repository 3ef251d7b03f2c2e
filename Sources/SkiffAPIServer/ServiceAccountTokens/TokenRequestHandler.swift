import NIOHTTP1
import SkiffAPI
import SkiffPKI
import SkiffRegistry

/// `POST serviceaccounts/NAME/token` (upstream's TokenRequest REST storage): validates and
/// defaults the `authentication.k8s.io/v1` TokenRequest, checks the service account and the
/// bound object (a Pod of that account, a Secret or a Node, with the given uid), and answers the
/// request with `status.token` and `status.expirationTimestamp`. Nothing is stored.
struct TokenRequestHandler: Sendable {
    static let kind = GroupKind(group: "authentication.k8s.io", kind: "TokenRequest")

    let issuer: ServiceAccountIssuer
    let registry: Registry
    let namespace: String
    let name: String
    let request: HTTPRequest
    let clock: any TimestampClock

    func handle() async throws -> HTTPResponse {
        guard request.method == .POST else {
            throw APIError.methodNotAllowed("the server does not allow this method on the requested resource")
        }
        var tokenRequest = try RequestBody.decodeObject(request)
        var spec = tokenRequest["spec"]?.objectValue ?? [:]
        var expiration = spec["expirationSeconds"]?.intValue ?? ServiceAccountIssuer.defaultExpirationSeconds
        try validate(expirationSeconds: expiration)
        let audiences = spec["audiences"]?.arrayValue?.compactMap(\.stringValue).filter { !$0.isEmpty } ?? []
        spec["audiences"] = .array((audiences.isEmpty ? issuer.audiences : audiences).map(JSONValue.string))
        spec["expirationSeconds"] = .int(expiration)

        guard let account = await registry.coreObject("serviceaccounts", namespace: namespace, name: name) else {
            throw APIError.notFound(GroupResource(group: "", resource: "serviceaccounts"), name: name)
        }
        var claims = ServiceAccountClaims.Private(
            namespace: namespace, serviceAccount: .init(name: name, uid: account.uid ?? ""))
        if let reference = spec["boundObjectRef"], !reference.isNull {
            try await bind(reference, claims: &claims)
        }
        if let maximum = issuer.maxExpirationSeconds, expiration > maximum { expiration = maximum }
        let now = clock.now.seconds
        var lifetime = expiration
        if issuer.extendExpiration, claims.pod != nil, expiration == ServiceAccountIssuer.kubeletExpirationSeconds {
            lifetime = ServiceAccountIssuer.extendedExpirationSeconds
            claims.warnAfter = now + expiration
        }
        let token = try await issuer.signer.sign(ServiceAccountClaims(
            issuer: issuer.issuer, audiences: audiences.isEmpty ? issuer.audiences : audiences,
            issuedAt: now, expiresAt: now + lifetime, id: UID.random(), kubernetes: claims))

        tokenRequest["apiVersion"] = "authentication.k8s.io/v1"
        tokenRequest["kind"] = "TokenRequest"
        var metadata = tokenRequest["metadata"]?.objectValue ?? [:]
        metadata["name"] = .string(name)
        metadata["namespace"] = .string(namespace)
        metadata["creationTimestamp"] = .null
        tokenRequest["metadata"] = .object(metadata)
        tokenRequest["spec"] = .object(spec)
        tokenRequest["status"] = [
            "token": .string(token),
            "expirationTimestamp": .string(Timestamp(seconds: now + lifetime).rfc3339),
        ]
        return .json(tokenRequest, status: .created)
    }

    /// Upstream's `ValidateTokenRequest`.
    private func validate(expirationSeconds: Int64) throws {
        let field = "spec.expirationSeconds"
        if expirationSeconds < ServiceAccountIssuer.minimumExpirationSeconds {
            throw APIError.invalid(kind: Self.kind, name: name, errors: [
                .invalid(field, .int(expirationSeconds), "may not specify a duration less than 10 minutes")])
        }
        if expirationSeconds > 1 << 32 {
            throw APIError.invalid(kind: Self.kind, name: name, errors: [
                .invalid(field, .int(expirationSeconds), "may not specify a duration larger than 2^32 seconds")])
        }
    }

    /// Adds the bound object (and a pod's node) to `claims`.
    private func bind(_ reference: JSONValue, claims: inout ServiceAccountClaims.Private) async throws {
        let apiVersion = reference["apiVersion"]?.stringValue ?? ""
        let kind = reference["kind"]?.stringValue ?? ""
        let objectName = reference["name"]?.stringValue ?? ""
        let uid = reference["uid"]?.stringValue ?? ""
        let resource: String
        switch (apiVersion, kind) {
        case ("v1", "Pod"): resource = "pods"
        case ("v1", "Secret"): resource = "secrets"
        case ("v1", "Node"): resource = "nodes"
        default:
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            let version = apiVersion.split(separator: "/").last.map(String.init) ?? ""
            throw APIError.badRequest("cannot bind token to object of type \(group)/\(version), Kind=\(kind)")
        }
        let objectNamespace = resource == "nodes" ? nil : namespace
        guard let object = await registry.coreObject(resource, namespace: objectNamespace, name: objectName) else {
            throw APIError.notFound(GroupResource(group: "", resource: resource), name: objectName)
        }
        let actualUID = object.uid ?? ""
        if !uid.isEmpty, uid != actualUID {
            throw APIError.conflict(
                GroupResource(group: "", resource: kind), name: objectName,
                message: "the UID in the bound object reference (\(uid)) does not match the UID in record. The object might have been deleted and then recreated")
        }
        let bound = ServiceAccountClaims.Reference(name: objectName, uid: actualUID)
        switch resource {
        case "pods":
            let podAccount = object[path: "spec", "serviceAccountName"]?.stringValue ?? "default"
            guard podAccount == name else {
                throw APIError.badRequest("cannot bind token for serviceaccount \"\(name)\" to pod running with different serviceaccount name.")
            }
            claims.pod = bound
            if let nodeName = object[path: "spec", "nodeName"]?.stringValue, !nodeName.isEmpty,
                let node = await registry.coreObject("nodes", namespace: nil, name: nodeName) {
                claims.node = .init(name: nodeName, uid: node.uid ?? "")
            }
        case "secrets": claims.secret = bound
        default: claims.node = bound
        }
    }
}
