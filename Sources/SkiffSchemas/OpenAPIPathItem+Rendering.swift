import SkiffAPI

/// The two renderings of a path item: Swagger 2.0 (`/openapi/v2`) and OpenAPI 3.0 (`/openapi/v3/…`).
extension OpenAPIPathItem {
    func swagger() -> JSONValue {
        var members: [String: JSONValue] = ["parameters": .array(parameters.map { $0.swagger() })]
        for operation in operations { members[operation.method.rawValue] = operation.swagger() }
        return .object(members)
    }

    func openAPI3() -> JSONValue {
        var members: [String: JSONValue] = ["parameters": .array(parameters.map { $0.openAPI3() })]
        for operation in operations { members[operation.method.rawValue] = operation.openAPI3() }
        return .object(members)
    }
}

extension OpenAPIOperation {
    /// v2 puts the body among the parameters and its media types (the patch types) in `consumes`.
    func swagger() -> JSONValue {
        let schema = Self.reference(response, prefix: "#/definitions/")
        var responses: [String: JSONValue] = ["401": ["description": "Unauthorized"]]
        for code in codes { responses[code] = ["description": .string(Self.responseDescription(code)), "schema": schema] }
        var parameters = self.parameters.map { $0.swagger() }
        if let body {
            var parameter: JSONValue = ["name": "body", "in": "body", "schema": Self.reference(body.definition, prefix: "#/definitions/")]
            if body.required { parameter["required"] = true }
            parameters.insert(parameter, at: 0)
        }
        var result = common(responses: responses)
        result["consumes"] = .array((body?.contentTypes ?? ["*/*"]).map(JSONValue.string))
        result["produces"] = .array(produces.map(JSONValue.string))
        result["schemes"] = ["https"]
        if !parameters.isEmpty { result["parameters"] = .array(parameters) }
        return result
    }

    func openAPI3() -> JSONValue {
        let schema: JSONValue = ["schema": Self.reference(response, prefix: "#/components/schemas/")]
        var responses: [String: JSONValue] = ["401": ["description": "Unauthorized"]]
        for code in codes {
            var content: [String: JSONValue] = [:]
            for type in produces { content[type] = schema }
            responses[code] = ["description": .string(Self.responseDescription(code)), "content": .object(content)]
        }
        var result = common(responses: responses)
        if !parameters.isEmpty { result["parameters"] = .array(parameters.map { $0.openAPI3() }) }
        if let body {
            var content: [String: JSONValue] = [:]
            for type in body.contentTypes { content[type] = ["schema": Self.reference(body.definition, prefix: "#/components/schemas/")] }
            result["requestBody"] = ["content": .object(content), "required": .bool(body.required)]
        }
        return result
    }

    private func common(responses: [String: JSONValue]) -> JSONValue {
        ["tags": [.string(tag)], "operationId": .string(id), "responses": .object(responses),
         "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": groupVersionKind]
    }

    private static func reference(_ definition: String, prefix: String) -> JSONValue {
        ["$ref": .string(prefix + definition)]
    }
}

extension OpenAPIParameter {
    func swagger() -> JSONValue {
        var result: JSONValue = ["name": .string(name), "in": .string(location.rawValue), "type": .string(type), "uniqueItems": true]
        if location == .path { result["required"] = true }
        return result
    }

    func openAPI3() -> JSONValue {
        var result: JSONValue = ["name": .string(name), "in": .string(location.rawValue), "schema": ["type": .string(type), "uniqueItems": true]]
        if location == .path { result["required"] = true }
        return result
    }
}
