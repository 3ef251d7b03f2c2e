import SkiffAPI
import Yams

/// The `apiextensions.k8s.io/v1` CustomResourceDefinition of a `CustomResource` type, generated
/// from the type: names, scope, one served and stored version with the `status` subresource
/// (and `scale` when declared), printer columns, and the schema inferred from `Spec` and
/// `Status`. What an operator's `--print-crd` prints and what `install` creates.
public enum CustomResourceDefinitionManifest {
    /// The CRD as a JSON tree.
    public static func json<Resource: CustomResource>(for type: Resource.Type) throws -> JSONValue {
        var names: JSONValue = ["plural": .string(type.plural), "singular": .string(type.singular), "kind": .string(type.kind),
                                "listKind": .string(type.kind + "List")]
        if !type.shortNames.isEmpty { names["shortNames"] = .array(type.shortNames.map(JSONValue.string)) }
        if !type.categories.isEmpty { names["categories"] = .array(type.categories.map(JSONValue.string)) }
        var subresources: JSONValue = ["status": .emptyObject]
        if let scale = type.scaleSubresource {
            var paths: JSONValue = ["specReplicasPath": .string(scale.specReplicasPath), "statusReplicasPath": .string(scale.statusReplicasPath)]
            if let selector = scale.labelSelectorPath { paths["labelSelectorPath"] = .string(selector) }
            subresources["scale"] = paths
        }
        let schema: JSONValue = [
            "type": "object",
            "required": ["spec"],
            "properties": [
                "spec": try OpenAPISchemaInference.schema(of: Resource.Spec.self),
                "status": try OpenAPISchemaInference.schema(of: Resource.Status.self),
            ],
        ]
        var version: JSONValue = [
            "name": .string(type.version), "served": true, "storage": true,
            "subresources": subresources, "schema": ["openAPIV3Schema": schema],
        ]
        if !type.printerColumns.isEmpty { version["additionalPrinterColumns"] = .array(type.printerColumns.map(column)) }
        return [
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": ["name": .string(type.definitionName)],
            "spec": ["group": .string(type.group), "scope": .string(type.scope.rawValue), "names": names, "versions": [version]],
        ]
    }

    /// The CRD as a YAML document (keys sorted), for `kubectl apply -f`.
    public static func yaml<Resource: CustomResource>(for type: Resource.Type) throws -> String {
        try Yams.dump(object: plain(json(for: type)), sortKeys: true)
    }

    private static func column(_ column: PrinterColumn) -> JSONValue {
        var value: JSONValue = ["name": .string(column.name), "type": .string(column.type), "jsonPath": .string(column.jsonPath)]
        if let description = column.description { value["description"] = .string(description) }
        if column.priority != 0 { value["priority"] = .int(Int64(column.priority)) }
        return value
    }

    /// Foundation-free values Yams represents (strings that read as other types get quoted).
    private static func plain(_ value: JSONValue) -> Any? {
        switch value {
        case .null: nil
        case .bool(let bool): bool
        case .int(let int): Int(int)
        case .double(let double): double
        case .string(let string): string
        case .array(let array): array.compactMap(plain)
        case .object(let object): object.compactMapValues(plain)
        }
    }
}
