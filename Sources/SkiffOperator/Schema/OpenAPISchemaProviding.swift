import SkiffAPI
import SkiffModels

/// A type that states its own OpenAPI v3 schema instead of having it inferred from its
/// `Decodable` conformance: values with a textual form (`Timestamp`, `Quantity`), free-form
/// values (`JSONValue`), or a field that wants `default`, `minimum`, a `pattern`… Inference
/// needs a value of every type it passes through, so the type also names one.
public protocol OpenAPISchemaProviding: Decodable {
    /// The schema of a value of this type (`["type": "string", "format": "date-time"]`).
    static var openAPISchema: JSONValue { get }
    /// Any valid value: what inference uses while it walks the enclosing type.
    static var schemaPlaceholder: Self { get }
}

extension Timestamp: OpenAPISchemaProviding {
    public static var openAPISchema: JSONValue { ["type": "string", "format": "date-time"] }
    public static var schemaPlaceholder: Timestamp { Timestamp(seconds: 0) }
}

extension Quantity: OpenAPISchemaProviding {
    /// A number or a string (`500m`, `2Gi`), as upstream's `resource.Quantity` fields.
    public static var openAPISchema: JSONValue { ["x-kubernetes-int-or-string": true] }
    public static var schemaPlaceholder: Quantity { "0" }
}

extension IntOrString: OpenAPISchemaProviding {
    public static var openAPISchema: JSONValue { ["x-kubernetes-int-or-string": true] }
    public static var schemaPlaceholder: IntOrString { .int(0) }
}

extension JSONValue: OpenAPISchemaProviding {
    /// Any JSON, kept as written (no pruning below it).
    public static var openAPISchema: JSONValue { ["x-kubernetes-preserve-unknown-fields": true] }
    public static var schemaPlaceholder: JSONValue { .null }
}

/// The JSON scalars `Codable` decodes natively, with their schemas and placeholders.
protocol InferredScalar: Decodable {
    static var inferredSchema: JSONValue { get }
    static var placeholder: Self { get }
}

extension String: InferredScalar {
    static var inferredSchema: JSONValue { ["type": "string"] }
    static var placeholder: String { "" }
}

extension Bool: InferredScalar {
    static var inferredSchema: JSONValue { ["type": "boolean"] }
    static var placeholder: Bool { false }
}

extension Double: InferredScalar {
    static var inferredSchema: JSONValue { ["type": "number", "format": "double"] }
    static var placeholder: Double { 0 }
}

extension Float: InferredScalar {
    static var inferredSchema: JSONValue { ["type": "number", "format": "float"] }
    static var placeholder: Float { 0 }
}

/// Integers: `int32` for the 32-bit (and smaller) types, `int64` otherwise, as upstream's Go types.
protocol InferredInteger: InferredScalar, FixedWidthInteger {}

extension InferredInteger {
    static var inferredSchema: JSONValue { ["type": "integer", "format": bitWidth <= 32 ? "int32" : "int64"] }
    static var placeholder: Self { 0 }
}

extension Int: InferredInteger {}
extension Int8: InferredInteger {}
extension Int16: InferredInteger {}
extension Int32: InferredInteger {}
extension Int64: InferredInteger {}
extension UInt: InferredInteger {}
extension UInt8: InferredInteger {}
extension UInt16: InferredInteger {}
extension UInt32: InferredInteger {}
extension UInt64: InferredInteger {}
