import SkiffAPI

/// The OpenAPI definitions of a kind whose schema is given at run time (custom resources, the
/// kinds of extension servers): its schema with `apiVersion`, `kind` and `metadata`
/// (`ObjectMeta`) added and the group-version-kind extension, and its list's.
public enum KindDefinitions {
    static let objectMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
    static let listMeta = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta"

    /// The kind's definition, named `name`, and its list's (`<name>List`), by name.
    public static func definitions(name: String, group: String, version: String, kind: String, schema: JSONValue) -> [String: JSONValue] {
        let apiVersion: JSONValue = [
            "type": "string",
            "description": "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources",
        ]
        let kindProperty: JSONValue = [
            "type": "string",
            "description": "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds",
        ]
        var object = schema
        object["type"] = "object"
        var properties = object["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = apiVersion
        properties["kind"] = kindProperty
        properties["metadata"] = [
            "$ref": .string("#/definitions/" + objectMeta),
            "description": "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        ]
        object["properties"] = .object(properties)
        object["x-kubernetes-group-version-kind"] = [["group": .string(group), "kind": .string(kind), "version": .string(version)]]
        let list: JSONValue = [
            "type": "object", "required": ["items"],
            "description": .string("\(kind)List is a list of \(kind)"),
            "properties": [
                "apiVersion": apiVersion, "kind": kindProperty,
                "items": ["type": "array", "items": ["$ref": .string("#/definitions/" + name)],
                          "description": .string("List of \(kind.lowercased())s. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md")],
                "metadata": ["$ref": .string("#/definitions/" + listMeta),
                             "description": "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"],
            ],
            "x-kubernetes-group-version-kind": [["group": .string(group), "kind": .string(kind + "List"), "version": .string(version)]],
        ]
        return [name: object, name + "List": list]
    }
}
