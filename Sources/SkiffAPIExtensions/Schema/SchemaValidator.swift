import Foundation
import SkiffAPI

/// Validates a custom object against its version's schema as the apiextensions server does
/// (kube-openapi's validator, then list-type uniqueness): every failing field is reported, with
/// upstream's paths and messages (`spec.replicas: Invalid value: "string": spec.replicas in body
/// must be of type integer: "string"`).
public struct SchemaValidator: Sendable {
    let root: CustomResourceSchema

    public init(root: CustomResourceSchema) {
        self.root = root
    }

    /// The errors of `object` (the whole custom object; `metadata` is validated by the store).
    public func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        guard case .object(let members) = object else { return [.invalid("", object, "must be an object")] }
        Self.inNameOrder(members, into: &errors) { name, member, found in
            guard !["apiVersion", "kind", "metadata"].contains(name), let property = root.properties[name] else { return }
            validate(member, property, path: name, into: &found)
        }
        for name in root.required where members[name] == nil && !["apiVersion", "kind", "metadata"].contains(name) {
            errors.append(.required(name))
        }
        return errors
    }

    /// Validates one value at `path` (dotted, with `[i]` for list elements).
    func validate(_ value: JSONValue, _ schema: CustomResourceSchema, path: String, into errors: inout [FieldError]) {
        if value.isNull {
            if schema.nullable || schema.type == nil && !schema.intOrString { return }
            let expected = schema.intOrString ? "integer,string" : (schema.type ?? "")
            errors.append(.typeInvalid(path, "null", "\(path) in body must be of type \(expected): \"null\""))
            return
        }
        let mismatch = typeMismatch(value, schema)
        if let mismatch {
            errors.append(.typeInvalid(path, .string(mismatch.found), "\(path) in body must be of type \(mismatch.expected): \"\(mismatch.found)\""))
        }
        if !schema.enumValues.isEmpty, !schema.enumValues.contains(where: { Self.same($0, value) }) {
            errors.append(FieldError(.fieldValueNotSupported, field: path, value: value,
                                     detail: "supported values: " + schema.enumValues.map(Self.quoted).joined(separator: ", ")))
        }
        guard mismatch == nil else { return }
        switch value {
        case .object(let members):
            validateObject(members, schema, path: path, into: &errors)
        case .array(let elements):
            validateArray(elements, schema, path: path, into: &errors)
        case .string(let text):
            validateString(text, schema, path: path, into: &errors)
        case .int, .double:
            validateNumber(value, schema, path: path, into: &errors)
        default:
            break
        }
    }

    private func validateObject(_ members: [String: JSONValue], _ schema: CustomResourceSchema, path: String, into errors: inout [FieldError]) {
        if let max = schema.maxProperties, members.count > max {
            errors.append(.tooMany(path, actual: members.count, max: max))
        }
        if let min = schema.minProperties, members.count < min {
            errors.append(.invalid(path, .int(Int64(members.count)), "\(path) in body should have at least \(min) properties"))
        }
        for name in schema.required where members[name] == nil {
            errors.append(.required(Self.child(path, name)))
        }
        if schema.embeddedResource {
            for name in ["apiVersion", "kind"] where (members[name]?.stringValue ?? "").isEmpty {
                errors.append(.required(Self.child(path, name), "must not be empty"))
            }
            let metadataPath = Self.child(path, "metadata")
            if let metadata = members["metadata"], metadata.objectValue == nil {
                errors.append(.typeInvalid(metadataPath, .string(metadata.typeName),
                                           "\(metadataPath) in body must be of type object: \"\(metadata.typeName)\""))
            } else if let name = members["metadata"]?["name"]?.stringValue, !name.isEmpty {
                errors += NameValidation.dns1123Subdomain(name).map { .invalid(metadataPath + ".name", .string(name), $0) }
            }
        }
        Self.inNameOrder(members, into: &errors) { name, member, found in
            guard let child = schema.properties[name] ?? schema.additionalProperties else { return }
            validate(member, child, path: Self.child(path, name), into: &found)
        }
    }

    /// Runs `check` on every member (in any order) and adds what each found to `errors` in
    /// member name order, as a walk of the sorted members would, without sorting them all.
    private static func inNameOrder(_ members: [String: JSONValue], into errors: inout [FieldError],
                                    _ check: (String, JSONValue, inout [FieldError]) -> Void) {
        var found: [(name: String, errors: [FieldError])] = []
        for (name, member) in members {
            var memberErrors: [FieldError] = []
            check(name, member, &memberErrors)
            if !memberErrors.isEmpty { found.append((name, memberErrors)) }
        }
        for entry in found.sorted(by: { $0.name < $1.name }) { errors += entry.errors }
    }

    private func validateArray(_ elements: [JSONValue], _ schema: CustomResourceSchema, path: String, into errors: inout [FieldError]) {
        if let max = schema.maxItems, elements.count > max {
            errors.append(.tooMany(path, actual: elements.count, max: max))
        }
        if let min = schema.minItems, elements.count < min {
            errors.append(.invalid(path, .int(Int64(elements.count)), "\(path) in body should have at least \(min) items"))
        }
        if let items = schema.items {
            for (index, element) in elements.enumerated() {
                validate(element, items, path: "\(path)[\(index)]", into: &errors)
            }
        }
        switch schema.listType {
        case "set":
            var seen: [JSONValue] = []
            for (index, element) in elements.enumerated() {
                if seen.contains(where: { Self.same($0, element) }) {
                    errors.append(.duplicate("\(path)[\(index)]", element))
                } else {
                    seen.append(element)
                }
            }
        case "map":
            var seen: [[JSONValue?]] = []
            for (index, element) in elements.enumerated() {
                let key = schema.listMapKeys.map { element[$0] ?? schema.items?.properties[$0]?.defaultValue }
                if seen.contains(key) {
                    let shown = zip(schema.listMapKeys, key).map { "\"\($0)\":\(Self.goValue($1 ?? .null))" }.joined(separator: ", ")
                    errors.append(FieldError(.fieldValueDuplicate, field: "\(path)[\(index)]", detail: "map[string]interface {}{\(shown)}"))
                } else {
                    seen.append(key)
                }
            }
        default:
            break
        }
    }

    private func validateString(_ text: String, _ schema: CustomResourceSchema, path: String, into errors: inout [FieldError]) {
        // Counting characters walks the string: only when a length is limited.
        let length = schema.maxLength == nil && schema.minLength == nil ? 0 : Int64(text.count)
        if let max = schema.maxLength, length > max {
            errors.append(FieldError(.fieldValueTooLong, field: path, value: .string(text),
                                     detail: "may not be more than \(max) \(max == 1 ? "byte" : "bytes")"))
        }
        if let min = schema.minLength, length < min {
            errors.append(.invalid(path, .string(text), "\(path) in body should be at least \(min) chars long"))
        }
        if let pattern = schema.pattern, let regex = schema.patternExpression,
           regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
            errors.append(.invalid(path, .string(text), "\(path) in body should match '\(pattern)'"))
        }
        if let format = schema.format, !schema.intOrString, !SchemaFormats.accepts(text, format: format) {
            errors.append(.invalid(path, .string(text), "\(path) in body must be of type \(format): \"\(text)\""))
        }
    }

    private func validateNumber(_ value: JSONValue, _ schema: CustomResourceSchema, path: String, into errors: inout [FieldError]) {
        guard let number = value.numberValue else { return }
        if let minimum = schema.minimum {
            if schema.exclusiveMinimum, number <= minimum {
                errors.append(.invalid(path, value, "\(path) in body should be greater than \(Self.number(minimum))"))
            } else if !schema.exclusiveMinimum, number < minimum {
                errors.append(.invalid(path, value, "\(path) in body should be greater than or equal to \(Self.number(minimum))"))
            }
        }
        if let maximum = schema.maximum {
            if schema.exclusiveMaximum, number >= maximum {
                errors.append(.invalid(path, value, "\(path) in body should be less than \(Self.number(maximum))"))
            } else if !schema.exclusiveMaximum, number > maximum {
                errors.append(.invalid(path, value, "\(path) in body should be less than or equal to \(Self.number(maximum))"))
            }
        }
        if let factor = schema.multipleOf, factor > 0, (number / factor).rounded() != number / factor {
            errors.append(.invalid(path, value, "\(path) in body should be a multiple of \(Self.number(factor))"))
        }
    }

    /// The expected and found type names when `value` does not have the schema's type.
    private func typeMismatch(_ value: JSONValue, _ schema: CustomResourceSchema) -> (expected: String, found: String)? {
        let found: String
        switch value {
        case .string: found = "string"
        case .bool: found = "boolean"
        case .int: found = "integer"
        case .double(let number): found = number.rounded() == number ? "integer" : "number"
        case .object: found = "object"
        case .array: found = "array"
        case .null: return nil
        }
        if schema.intOrString {
            return found == "integer" || found == "string" ? nil : ("integer,string", found)
        }
        guard let type = schema.type, !type.isEmpty else { return nil }
        if type == found || (type == "number" && found == "integer") { return nil }
        return (type, found)
    }

    static func child(_ path: String, _ name: String) -> String { path.isEmpty ? name : path + "." + name }

    /// JSON equality where `1` and `1.0` are the same number.
    static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
        if let x = a.numberValue, let y = b.numberValue { return x == y }
        return a == b
    }

    /// A supported value as upstream lists it: every value quoted (`"fast"`, `"1"`).
    static func quoted(_ value: JSONValue) -> String {
        if case .string(let text) = value { return "\"\(text)\"" }
        return "\"\(value.serializedString())\""
    }

    /// A value as Go's `%#v` prints it inside an `interface{}` map.
    static func goValue(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "\"\(text)\""
        case .int(let number): return "\(number)"
        default: return value.serializedString()
        }
    }

    /// A bound as Go's `%v` prints a float64 (`1`, `1.5`).
    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
