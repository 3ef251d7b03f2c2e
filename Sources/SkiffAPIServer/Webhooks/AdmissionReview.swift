import Foundation
import SkiffAPI
import SkiffRegistry

/// The `admission.k8s.io/v1` `AdmissionReview` a webhook is sent, and the checks of its answer
/// (upstream's `CreateAdmissionObjects` and `VerifyAdmissionResponse`).
enum AdmissionReview {
    static let apiVersion = "admission.k8s.io/v1"

    /// The review of a request: `kind`/`resource` as the webhook matched them, `requestKind`/
    /// `requestResource` as the client asked.
    static func request(uid: String, attributes: AdmissionAttributes, invocation: WebhookMatcher.Invocation) -> JSONValue {
        func gvk(_ kind: GroupVersionKind) -> JSONValue {
            ["group": .string(kind.group), "version": .string(kind.version), "kind": .string(kind.kind)]
        }
        func gvr(_ resource: GroupVersionResource) -> JSONValue {
            ["group": .string(resource.group), "version": .string(resource.version), "resource": .string(resource.resource)]
        }
        var user: JSONValue = ["username": .string(attributes.userInfo.name)]
        if !attributes.userInfo.uid.isEmpty { user["uid"] = .string(attributes.userInfo.uid) }
        if !attributes.userInfo.groups.isEmpty { user["groups"] = .array(attributes.userInfo.groups.map(JSONValue.string)) }
        if !attributes.userInfo.extra.isEmpty {
            user["extra"] = .object(attributes.userInfo.extra.mapValues { .array($0.map(JSONValue.string)) })
        }
        var request: JSONValue = [
            "uid": .string(uid), "kind": gvk(invocation.kind), "resource": gvr(invocation.resource),
            "requestKind": gvk(attributes.kind), "requestResource": gvr(attributes.resource),
            "operation": .string(attributes.operation.rawValue), "userInfo": user, "dryRun": .bool(attributes.dryRun),
        ]
        if !attributes.subresource.isEmpty {
            request["subResource"] = .string(attributes.subresource)
            request["requestSubResource"] = .string(attributes.subresource)
        }
        if !attributes.name.isEmpty { request["name"] = .string(attributes.name) }
        if !attributes.namespace.isEmpty { request["namespace"] = .string(attributes.namespace) }
        request["object"] = invocation.object
        request["oldObject"] = invocation.oldObject
        request["options"] = attributes.options
        return ["apiVersion": .string(apiVersion), "kind": "AdmissionReview", "request": request]
    }

    /// What a webhook answered.
    struct Response: Sendable {
        var allowed: Bool
        /// `response.status` (a `Status`), for refusals.
        var status: JSONValue?
        /// The JSON patch of a mutating webhook, decoded.
        var patch: JSONValue?
        var warnings: [String]
    }

    /// A webhook's answer that breaks the protocol; the dispatcher reports it as a failed call.
    struct InvalidResponse: Error, CustomStringConvertible {
        var description: String
    }

    /// Checks and decodes a webhook's answer to the review with `uid`.
    static func response(_ review: JSONValue, uid: String, mutating: Bool) throws(InvalidResponse) -> Response {
        guard let response = review["response"], response.objectValue != nil else {
            throw InvalidResponse(description: "webhook response was absent")
        }
        let answeredUID = response["uid"]?.stringValue ?? ""
        guard answeredUID == uid else {
            throw InvalidResponse(description: "expected response.uid=\"\(uid)\", got \"\(answeredUID)\"")
        }
        let kind = review.kind ?? "", version = review.apiVersion ?? ""
        guard kind == "AdmissionReview", version == apiVersion else {
            let got = GroupVersion(apiVersion: version).map { GroupVersionKind(group: $0.group, version: $0.version, kind: kind) }
            throw InvalidResponse(description: "expected webhook response of \(apiVersion), Kind=AdmissionReview, got \(got?.description ?? "/, Kind=\(kind)")")
        }
        let patchText = response["patch"]?.stringValue ?? ""
        let patchType = response["patchType"]?.stringValue
        var patch: JSONValue?
        if mutating {
            if !patchText.isEmpty && patchType == nil { throw InvalidResponse(description: "webhook returned response.patch but not response.patchType") }
            if patchText.isEmpty && patchType != nil { throw InvalidResponse(description: "webhook returned response.patchType but not response.patch") }
            if let patchType, patchType != "JSONPatch" {
                throw InvalidResponse(description: "webhook returned invalid response.patchType of \"\(patchType)\"")
            }
            if !patchText.isEmpty {
                guard let bytes = Data(base64Encoded: patchText), let decoded = try? JSONValue(parsing: Array(bytes)) else {
                    throw InvalidResponse(description: "webhook returned a response.patch that is not base64-encoded JSON")
                }
                patch = decoded
            }
        }
        return Response(allowed: response["allowed"]?.boolValue ?? false, status: response["status"], patch: patch,
                        warnings: response["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// A refusal as the client sees it (upstream's `ToStatusErr`): the webhook's code (403 below
    /// 400), reason and details, the message prefixed with `admission webhook "<name>" denied the request`.
    static func refusal(webhook: String, status: JSONValue?) -> APIError {
        let deniedBy = "admission webhook \"\(webhook)\" denied the request"
        let code = Int(status?["code"]?.intValue ?? 0)
        let message = status?["message"]?.stringValue ?? ""
        let reason = status?["reason"]?.stringValue ?? ""
        let text = !message.isEmpty ? "\(deniedBy): \(message)" : !reason.isEmpty ? "\(deniedBy): \(reason)" : "\(deniedBy) without explanation"
        var error = APIError(code: code < 400 ? 403 : code, reason: StatusReason(rawValue: reason), message: text)
        if let details = status?["details"], details.objectValue != nil {
            error.details = APIError.Details(
                name: details["name"]?.stringValue, group: details["group"]?.stringValue, kind: details["kind"]?.stringValue,
                uid: details["uid"]?.stringValue,
                causes: (details["causes"]?.arrayValue ?? []).map {
                    APIError.Cause(type: CauseType(rawValue: $0["reason"]?.stringValue ?? ""), message: $0["message"]?.stringValue ?? "",
                                   field: $0["field"]?.stringValue ?? "")
                },
                retryAfterSeconds: details["retryAfterSeconds"]?.intValue.map { Int($0) })
        }
        return error
    }
}
