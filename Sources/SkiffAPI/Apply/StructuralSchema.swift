/// What server-side apply needs to know about the type at a point of an object: how maps and
/// lists merge and which fields are declared. Built-in kinds answer from their OpenAPI
/// definitions (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`).
/// Where no schema is known (nil), objects merge field by field and lists are atomic, as
/// upstream's deduced schema does.
public protocol StructuralSchema: Sendable {
    /// How a value of this type merges.
    var shape: StructuralShape { get }
    /// The schema of a declared property, or nil if the type declares none by that name.
    func property(_ name: String) -> (any StructuralSchema)?
    /// The schema of the values of a map (`additionalProperties`), or nil.
    var mapValues: (any StructuralSchema)? { get }
    /// The schema of the elements of a list, or nil.
    var elements: (any StructuralSchema)? { get }
    /// The value the server defaults a missing field to, when key fields of list elements need it
    /// (a container port's `protocol` is `TCP`).
    var defaultValue: JSONValue? { get }
}

extension StructuralSchema {
    public var defaultValue: JSONValue? { nil }
}

/// The merge behaviour of a type.
public enum StructuralShape: Sendable, Equatable {
    /// A value replaced as a whole: scalars, and maps or structures marked atomic.
    case atomic
    /// An object whose fields merge one by one.
    case granular
    /// A list replaced as a whole.
    case atomicList
    /// A list of unique scalars (`x-kubernetes-list-type: set`).
    case set
    /// A list of objects identified by key fields (`x-kubernetes-list-type: map`).
    case map(keys: [String])
}
