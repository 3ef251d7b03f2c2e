import SkiffAPI
import SkiffRegistry
import SkiffSchemas

/// A `PATCH` body and its type.
struct PatchRequest: Sendable {
    enum Kind: Sendable {
        case jsonPatch
        case mergePatch
        case strategicMergePatch
        /// Server-side apply: the body is a configuration, not a patch (see `FieldManager`).
        case apply
    }

    var kind: Kind
    var document: JSONValue

    init(_ request: HTTPRequest) throws(APIError) {
        switch request.contentType {
        case "application/json-patch+json": kind = .jsonPatch
        case "application/merge-patch+json": kind = .mergePatch
        case "application/strategic-merge-patch+json": kind = .strategicMergePatch
        case "application/apply-patch+yaml": kind = .apply
        default:
            throw APIError.unsupportedMediaType(accepted: Self.acceptedTypes)
        }
        if kind == .apply {
            // kubectl sends JSON, which is YAML too; other clients may send YAML proper.
            do { document = try JSONValue(parsing: request.body) } catch { document = try YAMLBody.parse(request.body) }
        } else {
            document = try RequestBody.parseJSON(request.body)
        }
        if kind != .jsonPatch, document.objectValue == nil {
            throw APIError.badRequest("the body of the request must be a JSON object for a merge patch")
        }
    }

    /// The patch types the server applies.
    static let acceptedTypes = [
        "application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
        "application/apply-patch+yaml",
    ]

    /// The object after the patch; a patch that does not apply is `422`, a malformed one `400`.
    /// `definition` names the schema strategic merge patch follows.
    func apply(to object: JSONValue, info: ResourceInfo, definition: String) throws(APIError) -> JSONValue {
        switch kind {
        case .mergePatch:
            return MergePatch.apply(document, to: object)
        case .apply:
            throw APIError(code: 500, reason: .internalError, message: "an applied configuration is not a patch")
        case .strategicMergePatch:
            guard let schema = OpenAPIPatchSchema(definition: definition) else {
                throw APIError.unsupportedMediaType(
                    accepted: ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"])
            }
            do {
                return try StrategicMergePatch.apply(document, to: object, schema: schema)
            } catch {
                throw APIError(code: 422, reason: .invalid, message: error.message,
                               details: .init(name: object.name, group: info.group, kind: info.kind))
            }
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
