import SkiffAPI
import SkiffRegistry

/// The params a binding gives its policy (upstream's `CollectParams`), read from the param
/// resource's watch cache (a named param not there yet from storage, as upstream's direct
/// lookup). Each param is one evaluation of the policy; nil stands for `params` null.
struct PolicyParams: Sendable {
    let registry: Registry

    /// A binding whose params cannot be had; the dispatcher words it `failed to configure binding: …`.
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// The store of a policy's `paramKind`, nil when no served resource has that kind.
    func store(for kind: AdmissionPolicy.ParamKind) -> ResourceStore? {
        guard let info = registry.resources.first(where: { $0.apiVersion == kind.apiVersion && $0.kind == kind.kind }) else { return nil }
        return registry.store(for: info.groupVersionResource)
    }

    /// The params in `store` (of the policy's `paramKind`; nil without one) for a request in
    /// `namespace` (empty for cluster-scoped objects). No `paramKind` or no `paramRef` is one
    /// evaluation with null params; none found is no evaluation, or a failure with
    /// `parameterNotFoundAction: Deny`.
    func collect(from store: ResourceStore?, ref: AdmissionPolicyBinding.ParamRef?, namespace: String) async throws(Failure) -> [JSONValue?] {
        guard let store, let ref else { return [nil] }
        var paramsNamespace: String?
        if store.info.namespaced {
            paramsNamespace = ref.namespace.isEmpty ? namespace : ref.namespace
            if paramsNamespace?.isEmpty ?? true {
                throw Failure(description: "cannot use namespaced paramRef in policy binding that matches cluster-scoped resources")
            }
        } else if !ref.namespace.isEmpty {
            throw Failure(description: "paramRef.namespace must not be provided for a cluster-scoped `paramKind`")
        }
        var params: [JSONValue]
        if !ref.name.isEmpty {
            params = await store.admissionLookup(namespace: paramsNamespace, name: ref.name).map { [$0] } ?? []
        } else if let selector = ref.selector {
            params = store.cache.snapshot(filter: WatchFilter(namespace: paramsNamespace, labelSelector: selector)).objects.map(\.decoded)
        } else {
            throw Failure(description: "one of name or selector must be provided")
        }
        if params.isEmpty && ref.deniesWhenNotFound {
            throw Failure(description: "no params found for policy binding with `Deny` parameterNotFoundAction")
        }
        return params
    }
}
