import SkiffAPI
import SkiffRegistry

/// The review kinds of authentication.k8s.io and authorization.k8s.io (access reviews, the rules
/// review, `SelfSubjectReview`, `TokenReview`): create-only questions the API server answers
/// without storing anything. The server registers them so that discovery and OpenAPI list them,
/// and routes their requests to `ReviewHandler`.
enum ReviewResources {
    /// Nothing to default or validate beyond what `ReviewHandler` checks.
    struct Strategy: ResourceStrategy {}

    /// The review resources, each with only the `create` verb.
    static let entries: [Registry.Entry] = {
        let reviews: [(group: String, kind: String, namespaced: Bool)] = [
            ("authentication.k8s.io", "TokenReview", false),
            ("authentication.k8s.io", "SelfSubjectReview", false),
            ("authorization.k8s.io", "SubjectAccessReview", false),
            ("authorization.k8s.io", "SelfSubjectAccessReview", false),
            ("authorization.k8s.io", "LocalSubjectAccessReview", true),
            ("authorization.k8s.io", "SelfSubjectRulesReview", false),
        ]
        return reviews.map { review in
            let package = review.group.split(separator: ".")[0]
            return Registry.Entry(info: ResourceInfo(group: review.group, version: "v1", kind: review.kind, plural: review.kind.lowercased() + "s",
                                                     namespaced: review.namespaced, verbs: ["create"],
                                                     definitionName: "io.k8s.api.\(package).v1.\(review.kind)"),
                                  strategy: Strategy())
        }
    }()

    static let groupResources = Set(entries.map { GroupResource(group: $0.info.group, resource: $0.info.plural) })
}
