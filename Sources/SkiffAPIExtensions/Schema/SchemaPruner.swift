import SkiffAPI
import SkiffSchemas

/// Removes the fields a structural schema does not specify (upstream's pruning), reporting their
/// paths (`spec.unknown`) for field validation. `x-kubernetes-preserve-unknown-fields` keeps them;
/// an embedded resource keeps `apiVersion`, `kind` and `metadata`, as the root does, with
/// `metadata` pruned as `ObjectMeta`.
///
/// A custom object's every write is pruned and most have nothing to prune: the walk copies only
/// what it changes, and renders a field's path only when the field is unknown.
public struct SchemaPruner: Sendable {
    let root: CustomResourceSchema
    private let metadataPruner = UnknownFieldPruner(definition: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")

    public init(root: CustomResourceSchema) {
        self.root = root
    }

    /// The object without unknown fields, and the removed fields' paths in document order.
    public func prune(_ object: JSONValue) -> (object: JSONValue, unknownFields: [String]) {
        var unknown: [String] = []
        var path = FieldPathSegments()
        let pruned = prune(object, root, path: &path, isResource: true, unknown: &unknown)
        return (pruned ?? object, unknown)
    }

    /// `value` pruned, or nil when nothing in it is pruned (then nothing is copied); appends the
    /// paths of what it removed to `unknown`, ordered by member name at every level (the
    /// document order of the sorted serialization).
    private func prune(_ value: JSONValue, _ schema: CustomResourceSchema, path: inout FieldPathSegments, isResource: Bool,
                       unknown: inout [String]) -> JSONValue? {
        switch value {
        case .object(let members):
            let keepsMeta = isResource || schema.embeddedResource
            // The members that change (nil: removed), and the unknown paths found under each.
            var changes: [(key: String, value: JSONValue?)] = []
            var found: [(key: String, paths: [String])] = []
            for (key, member) in members {
                var paths: [String] = []
                path.append(.member(key))
                if let child = schema.properties[key] ?? schema.additionalProperties {
                    if let pruned = prune(member, child, path: &path, isResource: false, unknown: &paths) { changes.append((key, pruned)) }
                } else if keepsMeta && key == "metadata", let metadataPruner, member.objectValue != nil {
                    let result = metadataPruner.prune(member)
                    if result.object != member { changes.append((key, result.object)) }
                    if !result.unknownFields.isEmpty {
                        let here = path.rendered
                        paths = result.unknownFields.map { SchemaValidator.child(here, $0) }
                    }
                } else if !(keepsMeta && ["apiVersion", "kind", "metadata"].contains(key)),
                          !(schema.preserveUnknownFields || schema.allowsAdditionalProperties) {
                    changes.append((key, nil))
                    paths = [path.rendered]
                }
                path.removeLast()
                if !paths.isEmpty { found.append((key, paths)) }
            }
            for entry in found.sorted(by: { $0.key < $1.key }) { unknown += entry.paths }
            guard !changes.isEmpty else { return nil }
            var pruned = members
            for change in changes { pruned[change.key] = change.value }
            return .object(pruned)
        case .array(let elements):
            guard let items = schema.items else { return nil }
            var pruned: [JSONValue]?
            for (index, element) in elements.enumerated() {
                path.append(.index(index))
                if let changed = prune(element, items, path: &path, isResource: false, unknown: &unknown) {
                    if pruned == nil { pruned = elements }
                    pruned?[index] = changed
                }
                path.removeLast()
            }
            return pruned.map(JSONValue.array)
        default:
            return nil
        }
    }
}

/// The path to a field while a walk is inside it, rendered as the field paths of errors and
/// warnings (`spec.containers[0].name`) only when one is needed.
struct FieldPathSegments {
    enum Segment {
        case member(String)
        case index(Int)
    }

    private var segments: [Segment] = []

    mutating func append(_ segment: Segment) { segments.append(segment) }

    mutating func removeLast() { segments.removeLast() }

    /// `a.b[0].c`, as `SchemaValidator.child` and list indexes make it.
    var rendered: String {
        var text = ""
        for segment in segments {
            switch segment {
            case .member(let name): text = SchemaValidator.child(text, name)
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
