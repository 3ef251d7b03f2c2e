/// Kubernetes' mapping of schema types to CEL types, with size bounds for cost estimation. An
/// unbounded string, list or map is bounded by what fits in one request (3 MiB), as upstream does.
extension CELSchema {
    /// The largest request body Kubernetes accepts, which bounds unbounded sizes.
    public static let maxRequestSizeBytes = 3 * 1024 * 1024

    /// The CEL type of values of this schema; `name` names object types (`self`, `self.spec`).
    public func celType(name: String = "self") -> CELType {
        if intOrString || (preserveUnknownFields && properties.isEmpty && additionalProperties == nil && type.isEmpty) {
            return .dyn
        }
        if embeddedResource && !preserveUnknownFields {
            return withTypeAndObjectMetaIfMissing().objectType(name: name)
        }
        switch type {
        case "object":
            if let additional = additionalProperties {
                let bound = maxProperties ?? Self.estimatedMaxCount(elementMinSize: additional.schema.minSerializedSize + 4)
                return CELType(.map(key: .string, value: additional.schema.celType(name: name + ".@elem")), maxSize: bound)
            }
            if preserveUnknownFields && properties.isEmpty { return .dyn }
            return objectType(name: name)
        case "array":
            let element = items?.schema.celType(name: name + ".@idx") ?? .dyn
            let bound = maxItems ?? Self.estimatedMaxCount(elementMinSize: (items?.schema.minSerializedSize ?? 1) + 1)
            return CELType(.list(element), maxSize: bound)
        case "string":
            switch format {
            case "byte": return CELType(.bytes, maxSize: maxLength.map { $0 } ?? Self.maxRequestSizeBytes)
            case "duration": return .duration
            case "date", "date-time": return .timestamp
            default: return CELType(.string, maxSize: maxStringLength)
            }
        case "integer": return .int
        case "number": return .double
        case "boolean": return .bool
        default: return .dyn
        }
    }

    private func withTypeAndObjectMetaIfMissing() -> CELSchema {
        properties["metadata"] == nil ? withTypeAndObjectMeta() : self
    }

    private func objectType(name: String) -> CELType {
        var fields: [String: CELType] = [:]
        for (property, schema) in properties {
            guard let escaped = Self.escapedPropertyName(property) else { continue }
            fields[escaped] = schema.celType(name: name + "." + property)
        }
        return CELType(.object(CELObjectType(name: name, fields: fields)), maxSize: properties.count)
    }

    /// The longest string this schema admits.
    var maxStringLength: Int {
        if let maxLength { return maxLength }
        let enumLengths = enumValues.compactMap { $0.stringValue?.unicodeScalars.count }
        if !enumLengths.isEmpty && enumLengths.count == enumValues.count { return enumLengths.max() ?? 0 }
        return Self.maxRequestSizeBytes - 2
    }

    /// The fewest bytes a value of this schema takes in a JSON request (`""`, `0`, `[]`, `{}`).
    var minSerializedSize: Int {
        if intOrString || type.isEmpty { return 1 }
        switch type {
        case "string", "object", "array": return 2
        case "boolean": return 4
        default: return 1
        }
    }

    /// How many elements of at least `elementMinSize` bytes fit in one request.
    static func estimatedMaxCount(elementMinSize: Int) -> Int {
        (maxRequestSizeBytes - 2) / max(elementMinSize, 1)
    }

    /// Kubernetes' escaping of property names into CEL identifiers: reserved words become
    /// `__word__`; `__`, `.`, `-` and `/` become `__underscores__`, `__dot__`, `__dash__` and
    /// `__slash__`. Nil when the name cannot be expressed.
    public static func escapedPropertyName(_ name: String) -> String? {
        if celReservedSymbols.contains(name) { return "__\(name)__" }
        guard let first = name.unicodeScalars.first, isIdentifierStart(first),
            name.unicodeScalars.allSatisfy({ isIdentifierStart($0) || ("0"..."9").contains($0) })
        else { return nil }
        var escaped = ""
        var scalars = Substring(name)
        while let scalar = scalars.first {
            if scalars.hasPrefix("__") {
                escaped += "__underscores__"
                scalars = scalars.dropFirst(2)
                continue
            }
            switch scalar {
            case ".": escaped += "__dot__"
            case "-": escaped += "__dash__"
            case "/": escaped += "__slash__"
            default: escaped.append(scalar)
            }
            scalars = scalars.dropFirst()
        }
        return escaped
    }

    private static func isIdentifierStart(_ scalar: Character) -> Bool {
        scalar.isASCII && (scalar.isLetter || scalar == "_" || scalar == "." || scalar == "-" || scalar == "/")
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool { isIdentifierStart(Character(scalar)) }

    static let celReservedSymbols: Set<String> = CELLexer.reservedWords.union(["true", "false", "null", "in"])
}
