extension ApiextensionsV1 {
    /// `JSONSchemaPropsOrBool`: `true`/`false` (allow or forbid anything) or a schema, as in
    /// `additionalProperties`.
    public indirect enum JSONSchemaPropsOrBool: Codable, Sendable, Equatable {
        case bool(Bool)
        case schema(JSONSchemaProps)

        public init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let allows = try? single.decode(Bool.self) {
                self = .bool(allows)
            } else {
                self = .schema(try single.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var single = encoder.singleValueContainer()
            switch self {
            case .bool(let allows): try single.encode(allows)
            case .schema(let schema): try single.encode(schema)
            }
        }
    }

    /// `JSONSchemaPropsOrArray`: one schema for every item, or one schema per position (`items`).
    public indirect enum JSONSchemaPropsOrArray: Codable, Sendable, Equatable {
        case schema(JSONSchemaProps)
        case array([JSONSchemaProps])

        public init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let schemas = try? single.decode([JSONSchemaProps].self) {
                self = .array(schemas)
            } else {
                self = .schema(try single.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var single = encoder.singleValueContainer()
            switch self {
            case .schema(let schema): try single.encode(schema)
            case .array(let schemas): try single.encode(schemas)
            }
        }
    }

    /// `JSONSchemaPropsOrStringArray`: a schema or a list of property names (`dependencies`).
    public indirect enum JSONSchemaPropsOrStringArray: Codable, Sendable, Equatable {
        case schema(JSONSchemaProps)
        case strings([String])

        public init(from decoder: any Decoder) throws {
            let single = try decoder.singleValueContainer()
            if let names = try? single.decode([String].self) {
                self = .strings(names)
            } else {
                self = .schema(try single.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var single = encoder.singleValueContainer()
            switch self {
            case .schema(let schema): try single.encode(schema)
            case .strings(let names): try single.encode(names)
            }
        }
    }
}
