import SkiffAPI

/// Builds the OpenAPI documents the server publishes: the v3 documents, one per group-version
/// (paths for every resource and its subresources, shaped like upstream's, plus the schemas they
/// reference), the index that lists them with content hashes, and the v2 (Swagger) document of the
/// whole API (`OpenAPIDocumentBuilder+Swagger.swift`).
public struct OpenAPIDocumentBuilder: Sendable {
    /// A built document and the hash clients cache it by.
    public struct Document: Sendable {
        public var bytes: [UInt8]
        public var hash: String

        /// The document with the hash of its bytes.
        public init(bytes: [UInt8]) {
            self.bytes = bytes
            self.hash = ContentHash.hex(bytes)
        }
    }

    let resources: [OpenAPIResource]
    let definitions: [String: JSONValue]

    public init(resources: [OpenAPIResource], definitions: [String: JSONValue] = BuiltinSchemas.definitions) {
        self.resources = resources
        self.definitions = definitions
    }

    /// Every group-version document, by path (`api/v1`, `apis/apps/v1`).
    public func documents() -> [String: Document] {
        var byPath: [String: [OpenAPIResource]] = [:]
        for resource in resources { byPath[resource.documentPath, default: []].append(resource) }
        return byPath.mapValues { Document(bytes: document(for: $0).serialized()) }
    }

    /// The `/openapi/v3` index.
    public static func index(_ documents: [String: Document]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for (path, document) in documents {
            paths[path] = ["serverRelativeURL": .string("/openapi/v3/\(path)?hash=\(document.hash)")]
        }
        return ["paths": .object(paths)]
    }

    private func document(for served: [OpenAPIResource]) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for resource in served {
            for item in OperationTemplates(resource: resource).pathItems() { paths[item.path] = item.openAPI3() }
        }
        var schemas: [String: JSONValue] = [:]
        for name in definitionNames(for: served) {
            if let schema = Self.v3Overrides[name] ?? definitions[name] { schemas[name] = Self.rewriteReferences(schema) }
        }
        return [
            "openapi": "3.0.0",
            "info": ["title": "Kubernetes", "version": "v1.32.4"],
            "paths": .object(paths),
            "components": ["schemas": .object(schemas), "securitySchemes": ["BearerToken": ["type": "apiKey", "name": "authorization", "in": "header"]]],
            "security": [["BearerToken": []]],
        ]
    }

    /// Every definition the paths of these resources refer to, directly or not.
    func definitionNames(for served: [OpenAPIResource]) -> Set<String> {
        var roots = served.flatMap { [$0.definitionName, $0.definitionName + "List"] }
        roots += [OperationTemplates.status, OperationTemplates.deleteOptions, OperationTemplates.patch, OperationTemplates.watchEvent,
                  "io.k8s.api.autoscaling.v1.Scale", "io.k8s.api.core.v1.Binding"]
        return BuiltinSchemas.closure(of: roots, in: definitions)
    }

    /// Types whose v3 form differs from v2: values that may be either of two JSON types are
    /// `oneOf` in v3 (as upstream publishes them), so clients see `IntOrString`, not `string`.
    static let v3Overrides: [String: JSONValue] = [
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ["format": "int-or-string", "oneOf": [["type": "integer"], ["type": "string"]]],
        "io.k8s.apimachinery.pkg.api.resource.Quantity": ["oneOf": [["type": "string"], ["type": "number"]]],
    ]

    /// `#/definitions/X` → `#/components/schemas/X`.
    static func rewriteReferences(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(var members):
            if let reference = members["$ref"]?.stringValue, reference.hasPrefix("#/definitions/") {
                members["$ref"] = .string("#/components/schemas/" + reference.dropFirst("#/definitions/".count))
            }
            return .object(members.mapValues(rewriteReferences))
        case .array(let elements):
            return .array(elements.map(rewriteReferences))
        default:
            return value
        }
    }
}
