import SkiffAPI
import SkiffAPIExtensions

/// Calls a CRD's conversion webhook with an `apiextensions.k8s.io/v1` `ConversionReview`, and
/// checks its answer as upstream's webhook converter does: the uid, `result.status: Success`, as
/// many objects as sent, each of the desired `apiVersion` and the same kind. The converted object
/// keeps the original metadata but for its labels and annotations. Any failure is `500`
/// (`conversion webhook for stable.example.com/v1, Kind=CronTab failed: …`).
struct ConversionWebhook: CustomResourceConverter {
    let client: WebhookClient
    /// Upstream's fixed timeout of conversion webhook calls.
    static let timeout: Duration = .seconds(30)

    func convert(_ object: JSONValue, to apiVersion: String, clientConfig: JSONValue) async throws(APIError) -> JSONValue {
        if object.apiVersion == apiVersion { return object }
        let from = GroupVersion(apiVersion: object.apiVersion ?? "").map { "\($0.apiVersion), Kind=\(object.kind ?? "")" } ?? ""
        let uid = UID.random()
        let review: JSONValue = [
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
            "request": ["uid": .string(uid), "desiredAPIVersion": .string(apiVersion), "objects": [object]],
        ]
        let answer: JSONValue
        do {
            answer = try await client.post(review, to: clientConfig, timeout: Self.timeout)
        } catch {
            throw APIError.internalError("conversion webhook for \(from) failed: \(error)")
        }
        let converted: [JSONValue]
        do {
            converted = try Self.convertedObjects(answer, uid: uid)
        } catch {
            throw APIError.internalError("conversion webhook for \(from) returned invalid response: \(error)")
        }
        guard converted.count == 1 else {
            throw APIError.internalError("conversion webhook for \(from) returned \(converted.count) objects, expected 1")
        }
        var result = converted[0]
        if result.kind != object.kind {
            throw APIError.internalError(
                "conversion webhook for \(from) returned invalid converted object at index 0: expected kind \"\(object.kind ?? "")\", got \"\(result.kind ?? "")\"")
        }
        if result.apiVersion != apiVersion {
            throw APIError.internalError(
                "conversion webhook for \(from) returned invalid converted object at index 0: expected apiVersion \"\(apiVersion)\", got \"\(result.apiVersion ?? "")\"")
        }
        var metadata = object.metadata
        metadata["labels"] = result.metadata["labels"]
        metadata["annotations"] = result.metadata["annotations"]
        result.metadata = metadata
        return result
    }

    /// A problem with the answer, worded as upstream's.
    struct InvalidResponse: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The converted objects of an answer to the review with `uid`.
    static func convertedObjects(_ answer: JSONValue, uid: String) throws(InvalidResponse) -> [JSONValue] {
        guard answer.apiVersion == "apiextensions.k8s.io/v1", answer.kind == "ConversionReview" else {
            throw InvalidResponse(description: "expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got \(answer.apiVersion ?? ""), Kind=\(answer.kind ?? "")")
        }
        guard let response = answer["response"], response.objectValue != nil else { throw InvalidResponse(description: "no response provided") }
        let answeredUID = response["uid"]?.stringValue ?? ""
        guard answeredUID == uid else { throw InvalidResponse(description: "expected response.uid=\"\(uid)\", got \"\(answeredUID)\"") }
        let status = response[path: "result", "status"]?.stringValue ?? ""
        guard status == "Success" else {
            if let message = response[path: "result", "message"]?.stringValue, !message.isEmpty { throw InvalidResponse(description: message) }
            throw InvalidResponse(description: "response.result.status was '\(status)', not 'Success'")
        }
        return response["convertedObjects"]?.arrayValue ?? []
    }
}
