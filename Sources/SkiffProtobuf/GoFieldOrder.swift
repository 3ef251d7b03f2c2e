import SkiffAPI

/// The JSON member order of every built-in kind as kube-apiserver writes it: Go's struct field
/// order, which the `.proto` files (and so the generated schema table) declare fields in. Built
/// once from the schema; serialize with `JSONValue.serialized(shapes: GoFieldOrder.shapes)`.
public enum GoFieldOrder {
    /// The shapes of every built-in message, reachable from each kind's `apiVersion` and `kind`.
    public static let shapes: JSONShapes = {
        var builder = Builder(schema: .shared)
        return builder.build()
    }()

    private static let meta = "k8s.io.apimachinery.pkg.apis.meta.v1."

    /// Messages whose JSON form is not an object of their fields: strings (times, quantities),
    /// arrays, or objects with arbitrary members (`FieldsV1`), which Go writes sorted.
    private static let opaqueMessages: Set<String> = [
        meta + "Time", meta + "MicroTime", meta + "Duration", meta + "FieldsV1", meta + "Verbs",
        "k8s.io.apimachinery.pkg.api.resource.Quantity", "k8s.io.apimachinery.pkg.util.intstr.IntOrString",
        "k8s.io.api.authorization.v1.ExtraValue", "k8s.io.api.authentication.v1.ExtraValue",
        "k8s.io.api.certificates.v1.ExtraValue",
    ]
    private static let rawExtension = "k8s.io.apimachinery.pkg.runtime.RawExtension"

    /// Kinds of meta.k8s.io served without a group marker in the table: `Status` and discovery
    /// documents as `v1`, partial metadata as `meta.k8s.io/v1`.
    private static let metaKinds: [(apiVersions: [String], kind: String)] = [
        (["v1", "meta.k8s.io/v1"], "Status"),
        (["v1"], "APIVersions"), (["v1"], "APIGroupList"), (["v1"], "APIGroup"), (["v1"], "APIResourceList"),
        (["meta.k8s.io/v1", "meta.k8s.io/v1beta1"], "PartialObjectMetadata"),
        (["meta.k8s.io/v1", "meta.k8s.io/v1beta1"], "PartialObjectMetadataList"),
    ]

    private struct Builder {
        let schema: ProtobufSchema
        var shapes: [JSONShapes.Shape] = []
        var indexByMessage: [String: Int] = [:]

        init(schema: ProtobufSchema) {
            self.schema = schema
        }

        mutating func build() -> JSONShapes {
            var kinds: [String: Int] = [:]
            for (kind, message) in schema.messagesByKind {
                kinds[kind] = shape(ofMessage: message)
            }
            for (apiVersions, kind) in GoFieldOrder.metaKinds {
                let index = shape(ofMessage: GoFieldOrder.meta + kind)
                for apiVersion in apiVersions { kinds[apiVersion + "/" + kind] = index }
            }
            let table = tableShape()
            kinds["meta.k8s.io/v1/Table"] = table
            kinds["meta.k8s.io/v1beta1/Table"] = table
            return JSONShapes(shapes: shapes, kinds: kinds)
        }

        /// The index of a message's shape, made on first use (its own index is taken before its
        /// members are resolved, so recursive messages refer to themselves).
        mutating func shape(ofMessage name: String) -> Int? {
            if let index = indexByMessage[name] { return index }
            if GoFieldOrder.opaqueMessages.contains(name) { return nil }
            if name == GoFieldOrder.rawExtension { return append(.embedded, for: name) }
            guard schema.messages[name] != nil else { return nil }
            let index = append(.structure([]), for: name)
            shapes[index] = .structure(members(ofMessage: name))
            return index
        }

        mutating func append(_ shape: JSONShapes.Shape, for name: String) -> Int {
            shapes.append(shape)
            indexByMessage[name] = shapes.count - 1
            return shapes.count - 1
        }

        /// A message's JSON members in declaration order, with inlined structs' members in place.
        mutating func members(ofMessage name: String) -> [JSONShapes.Member] {
            guard let message = schema.messages[name] else { return [] }
            var members: [JSONShapes.Member] = []
            for field in message.declared {
                if field.inline, case .message(let inner) = field.kind {
                    members += self.members(ofMessage: inner)
                } else {
                    members.append(JSONShapes.Member(name: field.jsonName, shape: shape(of: field.kind)))
                }
            }
            return members
        }

        mutating func shape(of kind: ProtobufSchema.Kind) -> Int? {
            switch kind {
            case .message(let name):
                return shape(ofMessage: name)
            case .map(_, let value):
                let valueShape = shape(of: value)
                shapes.append(.map(value: valueShape))
                return shapes.count - 1
            default:
                return nil
            }
        }

        /// `meta.k8s.io/v1` `Table`, which has no protobuf form: its Go structs' orders.
        mutating func tableShape() -> Int {
            func structure(_ members: [JSONShapes.Member]) -> Int {
                shapes.append(.structure(members))
                return shapes.count - 1
            }
            let column = structure(["name", "type", "format", "description", "priority"].map { .init(name: $0, shape: nil) })
            let condition = structure(["type", "status", "reason", "message"].map { .init(name: $0, shape: nil) })
            shapes.append(.embedded)
            let row = structure([.init(name: "cells", shape: nil), .init(name: "conditions", shape: condition),
                                 .init(name: "object", shape: shapes.count - 1)])
            return structure([.init(name: "metadata", shape: shape(ofMessage: GoFieldOrder.meta + "ListMeta")),
                              .init(name: "columnDefinitions", shape: column), .init(name: "rows", shape: row)])
        }
    }
}
