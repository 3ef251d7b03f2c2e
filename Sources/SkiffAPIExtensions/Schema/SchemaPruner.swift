import SkiffAPI
import SkiffSchemas

/// Removes the fields a structural schema does not specify (upstream's pruning), reporting their
/// paths (`spec.unknown`) for field validation. `x-kubernetes-preserve-unknown-fields` keeps them;
/// an embedded resource keeps `apiVersion`, `kind` and `metadata`, as the root does, with
/// `metadata` pruned as `ObjectMeta`.
public struct SchemaPruner: Sendable {
    let root: CustomResourceSchema
    private let metadataPruner = UnknownFieldPruner(definition: "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")

    public init(root: CustomResourceSchema) {
        self.root = root
    }

    /// The object without unknown fields, and the removed fields' paths in document order.
    public func prune(_ object: JSONValue) -> (object: JSONValue, unknownFields: [String]) {
        var unknown: [String] = []
        let pruned = prune(object, root, path: "", isResource: true, unknown: &unknown)
        return (pruned, unknown)
    }

    private func prune(_ value: JSONValue, _ schema: CustomResourceSchema, path: String, isResource: Bool,
                       unknown: inout [String]) -> JSONValue {
        switch value {
        case .object(let members):
            var kept: [String: JSONValue] = [:]
            let keepsMeta = isResource || schema.embeddedResource
            for key in members.keys.sorted() {
                let member = members[key]!
                let childPath = SchemaValidator.child(path, key)
                if let property = schema.properties[key] {
                    kept[key] = prune(member, property, path: childPath, isResource: false, unknown: &unknown)
                } else if let values = schema.additionalProperties {
                    kept[key] = prune(member, values, path: childPath, isResource: false, unknown: &unknown)
                } else if keepsMeta && key == "metadata", let metadataPruner, member.objectValue != nil {
                    let result = metadataPruner.prune(member)
                    kept[key] = result.object
                    unknown += result.unknownFields.map { SchemaValidator.child(childPath, $0) }
                } else if keepsMeta && ["apiVersion", "kind", "metadata"].contains(key) {
                    kept[key] = member
                } else if schema.preserveUnknownFields || schema.allowsAdditionalProperties {
                    kept[key] = member
                } else {
                    unknown.append(childPath)
                }
            }
            return .object(kept)
        case .array(let elements):
            guard let items = schema.items else { return value }
            return .array(elements.enumerated().map { index, element in
                prune(element, items, path: "\(path)[\(index)]", isResource: false, unknown: &unknown)
            })
        default:
            return value
        }
    }
}
