import SkiffAPI

/// The messages of gnostic's `openapiv2/OpenAPIv2.proto` a Kubernetes document uses, with their
/// field numbers. Response headers and examples, XML objects and OAuth2 security schemes are left
/// out: the document never has them, and encoding one is an error rather than a silent loss.
extension GnosticLayout {
    static let document: GnosticLayout = GnosticLayout(name: "Document", fields: [
        "swagger": .string(1), "info": .message(2, info.encode), "host": .string(3), "basePath": .string(4), "schemes": .strings(5),
        "consumes": .strings(6), "produces": .strings(7), "paths": .message(8, namedMap("Paths", field: 2, extensions: 1, value: pathItem.encode)),
        "definitions": .message(9, namedMap("Definitions", field: 1, value: schema.encode)),
        "parameters": .message(10, namedMap("ParameterDefinitions", field: 1, value: parameter)),
        "responses": .message(11, namedMap("ResponseDefinitions", field: 1, value: response.encode)),
        "security": .messages(12, securityRequirement),
        "securityDefinitions": .message(13, namedMap("SecurityDefinitions", field: 1, value: securityScheme)),
        "tags": .messages(14, tag.encode), "externalDocs": .message(15, externalDocs.encode),
    ], extensions: 16)

    static let info: GnosticLayout = GnosticLayout(name: "Info", fields: [
        "title": .string(1), "version": .string(2), "description": .string(3), "termsOfService": .string(4),
        "contact": .message(5, contact.encode), "license": .message(6, license.encode),
    ], extensions: 7)

    static let contact: GnosticLayout = GnosticLayout(name: "Contact", fields: ["name": .string(1), "url": .string(2), "email": .string(3)], extensions: 4)
    static let license: GnosticLayout = GnosticLayout(name: "License", fields: ["name": .string(1), "url": .string(2)], extensions: 3)
    static let externalDocs: GnosticLayout = GnosticLayout(name: "ExternalDocs", fields: ["description": .string(1), "url": .string(2)], extensions: 3)
    static let tag: GnosticLayout = GnosticLayout(name: "Tag", fields: [
        "name": .string(1), "description": .string(2), "externalDocs": .message(3, externalDocs.encode),
    ], extensions: 4)

    static let pathItem: GnosticLayout = GnosticLayout(name: "PathItem", fields: [
        "$ref": .string(1), "get": .message(2, operation.encode), "put": .message(3, operation.encode), "post": .message(4, operation.encode),
        "delete": .message(5, operation.encode), "options": .message(6, operation.encode), "head": .message(7, operation.encode),
        "patch": .message(8, operation.encode), "parameters": .messages(9, parametersItem),
    ], extensions: 10)

    static let operation: GnosticLayout = GnosticLayout(name: "Operation", fields: [
        "tags": .strings(1), "summary": .string(2), "description": .string(3), "externalDocs": .message(4, externalDocs.encode),
        "operationId": .string(5), "produces": .strings(6), "consumes": .strings(7), "parameters": .messages(8, parametersItem),
        "responses": .message(9, namedMap("Responses", field: 1, extensions: 2, value: responseValue)), "schemes": .strings(10),
        "deprecated": .bool(11), "security": .messages(12, securityRequirement),
    ], extensions: 13)

    static let jsonReference: GnosticLayout = GnosticLayout(name: "JsonReference", fields: ["$ref": .string(1), "description": .string(2)])

    /// `ParametersItem`: oneof a `Parameter` (1) or a `JsonReference` (2).
    static let parametersItem: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        if value["$ref"] != nil {
            writer.writeBytes(2, try jsonReference.encode(value))
        } else {
            writer.writeBytes(1, try parameter(value))
        }
        return writer.bytes
    }

    /// `Parameter`: oneof a `BodyParameter` (1) or a `NonBodyParameter` (2), which is oneof the
    /// header (1), form data (2), query (3) and path (4) sub-schemas.
    static let parameter: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        switch value["in"]?.stringValue {
        case "body":
            writer.writeBytes(1, try bodyParameter.encode(value))
        case let location?:
            let (number, layout) = switch location {
            case "header": (1, headerParameter)
            case "formData": (2, formDataParameter)
            case "query": (3, queryParameter)
            case "path": (4, pathParameter)
            default: throw ProtobufError("unknown parameter location \"\(location)\"")
            }
            var nonBody = WireWriter()
            nonBody.writeBytes(number, try layout.encode(value))
            writer.writeBytes(2, nonBody.bytes)
        case nil:
            throw ProtobufError("a parameter needs \"in\"")
        }
        return writer.bytes
    }

    static let bodyParameter: GnosticLayout = GnosticLayout(name: "BodyParameter", fields: [
        "description": .string(1), "name": .string(2), "in": .string(3), "required": .bool(4), "schema": .message(5, schema.encode),
    ], extensions: 6)

    static let queryParameter: GnosticLayout = nonBodyParameter("QueryParameterSubSchema", allowsEmptyValue: true)
    static let formDataParameter: GnosticLayout = nonBodyParameter("FormDataParameterSubSchema", allowsEmptyValue: true)
    static let pathParameter: GnosticLayout = nonBodyParameter("PathParameterSubSchema", allowsEmptyValue: false)
    static let headerParameter: GnosticLayout = nonBodyParameter("HeaderParameterSubSchema", allowsEmptyValue: false)

    /// The four sub-schemas share a shape: `required`, `in`, `description`, `name`, then (query
    /// and form data only) `allowEmptyValue`, then the primitive validations, then the extensions.
    private static func nonBodyParameter(_ name: String, allowsEmptyValue: Bool) -> GnosticLayout {
        var head: [(String, (Int) -> Field)] = [("required", Field.bool), ("in", Field.string), ("description", Field.string), ("name", Field.string)]
        if allowsEmptyValue { head.append(("allowEmptyValue", Field.bool)) }
        return primitiveLayout(name, head: head)
    }

    static let primitivesItems: GnosticLayout = primitiveLayout("PrimitivesItems", head: [])

    /// A message with `head`'s fields from 1, then `type` … `multipleOf` (the validations of a
    /// non-body value), then the extensions.
    private static func primitiveLayout(_ name: String, head: [(String, (Int) -> Field)]) -> GnosticLayout {
        let validations: [(String, (Int) -> Field)] = [
            ("type", Field.string), ("format", Field.string), ("items", { .message($0, encodePrimitivesItems) }),
            ("collectionFormat", Field.string), ("default", Field.any), ("maximum", Field.double), ("exclusiveMaximum", Field.bool),
            ("minimum", Field.double), ("exclusiveMinimum", Field.bool), ("maxLength", Field.int64), ("minLength", Field.int64),
            ("pattern", Field.string), ("maxItems", Field.int64), ("minItems", Field.int64), ("uniqueItems", Field.bool),
            ("enum", Field.anys), ("multipleOf", Field.double),
        ]
        var fields: [String: Field] = [:]
        for (index, (key, field)) in (head + validations).enumerated() { fields[key] = field(index + 1) }
        return GnosticLayout(name: name, fields: fields, extensions: head.count + validations.count + 1)
    }

    /// Refers to `primitivesItems` lazily, from inside its own fields.
    static func encodePrimitivesItems(_ value: JSONValue) throws(ProtobufError) -> [UInt8] {
        try primitivesItems.encode(value)
    }

    /// `ResponseValue`: oneof a `Response` (1) or a `JsonReference` (2).
    static let responseValue: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        if value["$ref"] != nil {
            writer.writeBytes(2, try jsonReference.encode(value))
        } else {
            writer.writeBytes(1, try response.encode(value))
        }
        return writer.bytes
    }

    /// `Response`; its `schema` is a `SchemaItem`, oneof a `Schema` (1) or a `FileSchema` (2).
    static let response: GnosticLayout = GnosticLayout(name: "Response", fields: [
        "description": .string(1), "schema": .message(2, { value throws(ProtobufError) in
            var item = WireWriter()
            item.writeBytes(1, try schema.encode(value))
            return item.bytes
        }),
    ], extensions: 5)

    /// `SecurityRequirement`: scheme name → `StringArray` { value = 1 } of scopes.
    static let securityRequirement: Encode = namedMap("SecurityRequirement", field: 1) { scopes throws(ProtobufError) in
        var writer = WireWriter()
        try Field.strings(1).write(scopes, in: "StringArray", to: &writer)
        return writer.bytes
    }

    /// `SecurityDefinitionsItem`: oneof basic (1) or API key (2); the OAuth2 flows are not used.
    static let securityScheme: Encode = { value throws(ProtobufError) in
        var writer = WireWriter()
        switch value["type"]?.stringValue {
        case "basic": writer.writeBytes(1, try basicSecurity.encode(value))
        case "apiKey": writer.writeBytes(2, try apiKeySecurity.encode(value))
        default: throw ProtobufError("unsupported security scheme \(value["type"]?.serializedString() ?? "without a type")")
        }
        return writer.bytes
    }

    static let basicSecurity: GnosticLayout = GnosticLayout(name: "BasicAuthenticationSecurity", fields: ["type": .string(1), "description": .string(2)],
                                             extensions: 3)
    static let apiKeySecurity: GnosticLayout = GnosticLayout(name: "ApiKeySecurity", fields: [
        "type": .string(1), "name": .string(2), "in": .string(3), "description": .string(4),
    ], extensions: 5)
}
