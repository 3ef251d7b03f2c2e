import SkiffAPI

// The hand-written models read from and written as a JSON tree as their `Codable` conformances
// read and write JSON.

extension Quantity: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        switch tree {
        case .string(let text): self.init(text)
        case .int(let value): self.init(String(value))
        case .double(let value): self.init((try? Int64(jsonTree: tree)).map { String($0) } ?? String(value))
        default: throw JSONTreeDecodingError(expected: "a quantity")
        }
    }
}

extension IntOrString: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        if let value = try? Int(jsonTree: tree) {
            self = .int(value)
        } else {
            self = .string(try String(jsonTree: tree))
        }
    }
}

extension MicroTime: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        self.init(try Timestamp(jsonTree: tree))
    }
}

extension Indirect: JSONTreeDecodable where Value: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        self.init(try Value(jsonTree: tree))
    }
}

extension ApiextensionsV1.JSONSchemaPropsOrBool: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        if case .bool(let allows) = tree {
            self = .bool(allows)
        } else {
            self = .schema(try ApiextensionsV1.JSONSchemaProps(jsonTree: tree))
        }
    }
}

extension ApiextensionsV1.JSONSchemaPropsOrArray: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        if let schemas = try? [ApiextensionsV1.JSONSchemaProps](jsonTree: tree) {
            self = .array(schemas)
        } else {
            self = .schema(try ApiextensionsV1.JSONSchemaProps(jsonTree: tree))
        }
    }
}

extension ApiextensionsV1.JSONSchemaPropsOrStringArray: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        if let names = try? [String](jsonTree: tree) {
            self = .strings(names)
        } else {
            self = .schema(try ApiextensionsV1.JSONSchemaProps(jsonTree: tree))
        }
    }
}

extension Quantity: JSONTreeEncodable {
    public var jsonTree: JSONValue { .string(string) }
}

extension IntOrString: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        switch self {
        case .int(let value): .int(Int64(value))
        case .string(let value): .string(value)
        }
    }
}

extension MicroTime: JSONTreeEncodable {
    public var jsonTree: JSONValue { .string(timestamp.rfc3339Micro) }
}

extension Indirect: JSONTreeEncodable where Value: JSONTreeEncodable {
    public var jsonTree: JSONValue { value.jsonTree }
}

extension ApiextensionsV1.JSONSchemaPropsOrBool: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        switch self {
        case .bool(let allows): .bool(allows)
        case .schema(let schema): schema.jsonTree
        }
    }
}

extension ApiextensionsV1.JSONSchemaPropsOrArray: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        switch self {
        case .schema(let schema): schema.jsonTree
        case .array(let schemas): schemas.jsonTree
        }
    }
}

extension ApiextensionsV1.JSONSchemaPropsOrStringArray: JSONTreeEncodable {
    public var jsonTree: JSONValue {
        switch self {
        case .schema(let schema): schema.jsonTree
        case .strings(let names): names.jsonTree
        }
    }
}
