/// The member order of JSON objects whose shape is known: Go's encoder writes a struct's fields in
/// the order the struct declares them (`kind`, `apiVersion`, `metadata`, `spec`, `status`), and a
/// map's keys sorted. Serializing with shapes (`JSONValue.serialized(shapes:)`) reproduces the
/// bytes kube-apiserver sends for its built-in kinds; without a shape, members sort, which is
/// also what upstream sends for custom resources (unstructured maps).
///
/// Shapes refer to each other by index into `shapes`, since types nest recursively.
public struct JSONShapes: Sendable {
    /// One member a struct declares, with the shape of its value (of each element, for an array).
    public struct Member: Sendable {
        public var name: String
        public var shape: Int?

        public init(name: String, shape: Int?) {
            self.name = name
            self.shape = shape
        }
    }

    /// How one kind of JSON object orders its members.
    public enum Shape: Sendable {
        /// A struct: the declared members in order, then any others sorted. `kind` and
        /// `apiVersion` come first unless declared (Go embeds `TypeMeta` first).
        case structure([Member])
        /// A map: keys sorted, every value of shape `value`.
        case map(value: Int?)
        /// An embedded object (`runtime.RawExtension`): shaped by its own `apiVersion` and `kind`.
        case embedded
    }

    /// A struct shape prepared for writing: its members and the set of their names.
    struct Prepared: Sendable {
        var shape: Shape
        var names: Set<String>
        var declaresTypeMeta: Bool
    }

    let prepared: [Prepared]
    /// `apiVersion + "/" + kind` → the shape of that kind's objects.
    let kinds: [String: Int]

    /// Shapes by index, and the kinds (`apiVersion + "/" + kind`) whose objects have each shape.
    public init(shapes: [Shape], kinds: [String: Int]) {
        self.prepared = shapes.map { shape in
            guard case .structure(let members) = shape else { return Prepared(shape: shape, names: [], declaresTypeMeta: false) }
            let names = Set(members.map(\.name))
            return Prepared(shape: shape, names: names, declaresTypeMeta: names.contains("kind") || names.contains("apiVersion"))
        }
        self.kinds = kinds
    }

    /// The shape of objects of `kind` in `apiVersion`, if known.
    public func shape(apiVersion: String, kind: String) -> Int? {
        kinds[apiVersion + "/" + kind]
    }

    /// The shape of an object that names its own `apiVersion` and `kind`.
    func shape(of members: [String: JSONValue]) -> Int? {
        guard case .string(let apiVersion)? = members["apiVersion"], case .string(let kind)? = members["kind"] else { return nil }
        return shape(apiVersion: apiVersion, kind: kind)
    }
}
