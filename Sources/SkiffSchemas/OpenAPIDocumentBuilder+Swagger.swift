import SkiffAPI

extension OpenAPIDocumentBuilder {
    /// The Swagger 2.0 document of the whole API (`/openapi/v2`): the paths of every resource and
    /// every definition they refer to, kept as upstream's v2 document has them (`int-or-string`
    /// formats rather than v3's `oneOf`, references under `#/definitions/`).
    public func swaggerDocument(version: String) -> JSONValue {
        var paths: [String: JSONValue] = [:]
        for resource in resources {
            for item in OperationTemplates(resource: resource).pathItems() { paths[item.path] = item.swagger() }
        }
        var schemas: [String: JSONValue] = [:]
        for name in definitionNames(for: resources) { schemas[name] = definitions[name] }
        return [
            "swagger": "2.0",
            "info": ["title": "Kubernetes", "version": .string(version)],
            "paths": .object(paths),
            "definitions": .object(schemas),
            "securityDefinitions": ["BearerToken": ["type": "apiKey", "name": "authorization", "in": "header"]],
            "security": [["BearerToken": []]],
        ]
    }
}
