import SkiffAPI

/// One path of a resource's API with its operations, as a model both OpenAPI renderings (v2's
/// Swagger document, the v3 group-version documents) are written from.
struct OpenAPIPathItem {
    var path: String
    /// Parameters every operation on the path takes (`name`, `namespace`, `pretty`).
    var parameters: [OpenAPIParameter]
    var operations: [OpenAPIOperation]
}

/// One HTTP operation on a resource path.
struct OpenAPIOperation {
    enum Method: String { case get, put, post, patch, delete }

    /// A request body: the definition it holds and the media types it may be sent as.
    struct Body {
        var definition: String
        var required: Bool
        var contentTypes: [String]
    }

    var method: Method
    /// `listCoreV1NamespacedConfigMap`.
    var id: String
    /// `x-kubernetes-action`: `get`, `list`, `post`, `put`, `patch`, `delete`, `deletecollection`.
    var action: String
    var tag: String
    var groupVersionKind: JSONValue
    /// Query parameters, sorted by name.
    var parameters: [OpenAPIParameter]
    var body: Body?
    /// The definition every successful response holds.
    var response: String
    /// The successful status codes (`200`, `201`, `202`).
    var codes: [String]
    /// The media types the response may be asked for.
    var produces: [String]

    static func responseDescription(_ code: String) -> String {
        switch code {
        case "201": "Created"
        case "202": "Accepted"
        default: "OK"
        }
    }
}

/// A query or path parameter.
struct OpenAPIParameter: Equatable {
    enum Location: String { case query, path }

    var name: String
    var location: Location
    /// The JSON type: `string`, `integer`, `boolean`.
    var type: String

    static func query(_ name: String, _ type: String) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .query, type: type)
    }

    static func path(_ name: String) -> OpenAPIParameter {
        OpenAPIParameter(name: name, location: .path, type: "string")
    }
}
