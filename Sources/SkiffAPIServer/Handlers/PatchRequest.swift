import SkiffAPI
import SkiffRegistry

/// A `PATCH` body and its type.
struct PatchRequest: Sendable {
    enum Kind: Sendable {
        case jsonPatch
        case mergePatch
    }

    var kind: Kind
    var document: JSONValue

    init(_ request: HTTPRequest) throws(APIError) {
        switch request.contentType {
        case "application/json-patch+json": kind = .jsonPatch
        case "application/merge-patch+json": kind = .mergePatch
        default:
            throw APIError.unsupportedMediaType(accepted: ["application/json-patch+json", "application/merge-patch+json"])
        }
        document = try RequestBody.parseJSON(request.body)
        if kind == .mergePatch, document.objectValue == nil {
            throw APIError.badRequest("the body of the request must be a JSON object for a merge patch")
        }
    }

    /// The object after the patch; a patch that does not apply is `422`, a malformed one `400`.
    func apply(to object: JSONValue, info: ResourceInfo) throws(APIError) -> JSONValue {
        switch kind {
        case .mergePatch:
            return MergePatch.apply(document, to: object)
        case .jsonPatch:
            do {
                return try JSONPatch.apply(document, to: object)
            } catch {
                if error.malformed { throw APIError.badRequest(error.message) }
                throw APIError(code: 422, reason: .invalid, message: error.message,
                               details: .init(name: object.name, group: info.group, kind: info.kind))
            }
        }
    }
}
