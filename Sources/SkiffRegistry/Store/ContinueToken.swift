#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SkiffAPI

/// The `continue` token of a paged list, in upstream's format: base64 of
/// `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key after the prefix>\u0000"}`.
struct ContinueToken: Equatable {
    /// The revision the whole list is read at.
    var revision: Int64
    /// The key to continue from (inclusive), relative to the resource's key prefix.
    var start: String

    func encoded() -> String {
        let body: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(revision), "start": .string(start)]
        return Data(body.serialized()).base64EncodedString()
    }

    init(revision: Int64, start: String) {
        self.revision = revision
        self.start = start
    }

    init(decoding token: String) throws(APIError) {
        guard let data = Data(base64Encoded: token),
            let body = try? JSONValue(parsing: Array(data)),
            body["v"]?.stringValue == "meta.k8s.io/v1",
            let revision = body["rv"]?.intValue, let start = body["start"]?.stringValue
        else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        if start.hasPrefix("/") || start.contains("/../") || start.hasPrefix("../") {
            throw APIError.badRequest("continue key is not valid: key must not escape the resource prefix")
        }
        self.init(revision: revision, start: start)
    }
}
