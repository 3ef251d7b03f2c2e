import SkiffAPI
import SkiffStorage

/// The transformers of an encryption configuration by group/resource, looked up as upstream's:
/// the resource itself, else every resource of its group (`*.apps`, `*.` for core), else every
/// resource (`*.*`).
public struct EncryptionTransformers: Sendable {
    let byResource: [GroupResource: PrefixTransformers]

    /// The transformer of `resource`; nil stores it as it is.
    public func transformer(for resource: GroupResource) -> (any ValueTransformer)? {
        byResource[resource] ?? byResource[GroupResource(group: resource.group, resource: "*")]
            ?? byResource[GroupResource(group: "*", resource: "*")]
    }

    /// `secrets` (core), `deployments.apps`, `*.apps`, `*.` (every core resource), `*.*`: the
    /// resource up to the first dot, the group after it.
    static func parse(_ text: String) -> GroupResource {
        guard let dot = text.firstIndex(of: ".") else { return GroupResource(group: "", resource: text) }
        return GroupResource(group: String(text[text.index(after: dot)...]), resource: String(text[..<dot]))
    }

    /// A group/resource as the configuration spells it.
    static func render(_ resource: GroupResource) -> String {
        guard resource.group.isEmpty else { return resource.resource + "." + resource.group }
        return resource.resource == "*" ? "*." : resource.resource
    }
}
