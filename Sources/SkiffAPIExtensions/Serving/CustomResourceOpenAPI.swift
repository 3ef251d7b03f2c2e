import SkiffAPI
import SkiffSchemas

/// The OpenAPI definitions a served custom resource version publishes (so `kubectl explain` and
/// client-side tools know it): the version's schema as `KindDefinitions` completes it, under
/// the name upstream gives a custom kind, and its list.
enum CustomResourceOpenAPI {
    /// The OpenAPI definition name upstream gives a custom kind (`com.example.stable.v1.CronTab`).
    static func definitionName(group: String, version: String, kind: String) -> String {
        (group.split(separator: ".").reversed().map(String.init) + [version, kind]).joined(separator: ".")
    }

    /// The kind's and the list's definitions, by name.
    static func definitions(group: String, version: String, kind: String, schema: JSONValue) -> [String: JSONValue] {
        KindDefinitions.definitions(name: definitionName(group: group, version: version, kind: kind), group: group, version: version,
                                    kind: kind, schema: schema)
    }
}
