import SkiffAPI
import SkiffRegistry

/// Upstream's `ValidatingAdmissionPolicy` plugin: each `ValidatingAdmissionPolicy` that has
/// bindings and whose `matchConstraints` take the request is evaluated once for every binding
/// whose `matchResources` take it and every param the binding gives; failed validations are
/// refused (`Deny`), sent back as warnings (`Warn`) or recorded in the request's audit event
/// (`Audit`: upstream's `validation.policy.admission.k8s.io/validation_failure` annotation), and
/// `auditAnnotations` go to that event as `<policy>/<key>`. Policies and bindings are read from
/// their watch caches, in name order.
struct ValidatingAdmissionPolicyPlugin: ValidatingAdmissionPlugin {
    let policies: ResourceStore
    let bindings: ResourceStore
    let namespaces: ResourceStore?
    let matcher: WebhookMatcher
    let params: PolicyParams
    /// What `authorizer` checks in expressions ask.
    let authorizer: any Authorizer
    let compiled = CompiledPolicies()

    var name: String { "ValidatingAdmissionPolicy" }

    init(registry: Registry, authorizer: any Authorizer) throws(APIError) {
        func store(_ resource: String) throws(APIError) -> ResourceStore {
            let groupResource = GroupResource(group: "admissionregistration.k8s.io", resource: resource)
            guard let store = registry.store(for: groupResource) else { throw APIError.notFound(groupResource, name: "") }
            return store
        }
        policies = try store("validatingadmissionpolicies")
        bindings = try store("validatingadmissionpolicybindings")
        namespaces = registry.store(for: GroupResource(group: "", resource: "namespaces"))
        matcher = WebhookMatcher(registry: registry)
        params = PolicyParams(registry: registry)
        self.authorizer = authorizer
    }

    /// A refusal: the first in policy, binding and param order answers.
    struct Denial: Sendable {
        var policy: String
        var binding: String?
        var decision: PolicyDecision
    }

    func validate(_ attributes: AdmissionAttributes) async throws {
        if attributes.resource.group == "admissionregistration.k8s.io",
           ["validatingadmissionpolicies", "validatingadmissionpolicybindings"].contains(attributes.resource.resource) {
            return
        }
        let allBindings = bindings.cache.snapshot(filter: WatchFilter()).objects.map { AdmissionPolicyBinding($0.decoded) }
        if allBindings.isEmpty { return }
        let bindingsByPolicy = Dictionary(grouping: allBindings.sorted { $0.name < $1.name }, by: \.policyName)
        let stored = policies.cache.snapshot(filter: WatchFilter()).objects.map(\.decoded).sorted { ($0.name ?? "") < ($1.name ?? "") }
        var denials: [Denial] = []
        var audited: [String] = []
        defer { Self.recordValidationFailures(audited, in: attributes) }
        var namespaceObject: JSONValue??
        var authorizations = PolicyAuthorizations(authorizer: authorizer, attributes: attributes)
        for policy in compiled.policies(stored) {
            guard let policyBindings = bindingsByPolicy[policy.name] else { continue }
            func configurationError(_ error: any Error, binding: String?) {
                if policy.failsOpen { return }
                let cause = (error as? APIError)?.message ?? "\(error)"
                let message = "failed to configure \(binding == nil ? "policy" : "binding"): \(cause)"
                denials.append(Denial(policy: policy.name, binding: binding, decision: PolicyDecision(message: message)))
            }
            let invocation: WebhookMatcher.Invocation
            do {
                guard let matched = try await matcher.invocation(matching: policy.criteria, for: attributes) else { continue }
                invocation = matched
            } catch {
                configurationError(error, binding: nil)
                continue
            }
            let paramStore = policy.paramKind.flatMap(params.store(for:))
            if let kind = policy.paramKind, paramStore == nil {
                configurationError(PolicyParams.Failure(description: "failed to find resource referenced by paramKind: '\(kind.description)'"),
                                   binding: nil)
                continue
            }
            let request = Self.request(attributes, invocation)
            for binding in policyBindings {
                do {
                    if let criteria = binding.criteria, try await matcher.invocation(matching: criteria, for: attributes) == nil { continue }
                } catch {
                    configurationError(error, binding: binding.name)
                    continue
                }
                let bound: [JSONValue?]
                do {
                    bound = try await params.collect(from: paramStore, ref: binding.paramRef, namespace: attributes.namespace)
                } catch {
                    configurationError(error, binding: binding.name)
                    continue
                }
                if namespaceObject == nil { namespaceObject = .some(try await self.namespaceObject(attributes)) }
                for param in bound {
                    let outcome = await authorizations.outcome { authorizer in
                        PolicyEvaluation(policy: policy, object: invocation.object, oldObject: invocation.oldObject, request: request,
                                         params: param, namespaceObject: namespaceObject ?? nil, authorizer: authorizer)
                    }
                    for decision in outcome.decisions {
                        act(on: decision, policy: policy.name, binding: binding, attributes: attributes, denials: &denials, audited: &audited)
                    }
                    for key in outcome.annotations.keys.sorted() {
                        attributes.auditAnnotations?.add("\(policy.name)/\(key)", outcome.annotations[key] ?? "")
                    }
                    denials += outcome.annotationErrors.map { Denial(policy: policy.name, binding: binding.name, decision: $0) }
                }
            }
        }
        if let first = denials.first { throw Self.refusal(first, attributes) }
    }

    /// A failed validation under the binding's `validationActions`.
    private func act(on decision: PolicyDecision, policy: String, binding: AdmissionPolicyBinding, attributes: AdmissionAttributes,
                     denials: inout [Denial], audited: inout [String]) {
        for action in binding.actions {
            switch action {
            case "Deny":
                denials.append(Denial(policy: policy, binding: binding.name, decision: decision))
            case "Warn":
                attributes.warnings?.add("Validation failed for ValidatingAdmissionPolicy '\(policy)' with binding '\(binding.name)': \(decision.message)")
            case "Audit":
                audited.append(Self.validationFailure(decision, policy: policy, binding: binding))
            default:
                continue
            }
        }
    }

    static let validationFailureKey = "validation.policy.admission.k8s.io/validation_failure"

    /// One failure as upstream's `validation_failure` value lists it (its JSON field order).
    static func validationFailure(_ decision: PolicyDecision, policy: String, binding: AdmissionPolicyBinding) -> String {
        func quoted(_ text: String) -> String { JSONValue.string(text).serializedString() }
        return "{\"message\":\(quoted(decision.message)),\"policy\":\(quoted(policy)),\"binding\":\(quoted(binding.name)),"
            + "\"expressionIndex\":\(decision.expressionIndex),\"validationActions\":[\(binding.actions.map(quoted).joined(separator: ","))]}"
    }

    /// The request's `validation_failure` audit annotation: every audited failure, as a JSON list.
    static func recordValidationFailures(_ failures: [String], in attributes: AdmissionAttributes) {
        guard !failures.isEmpty else { return }
        attributes.auditAnnotations?.add(validationFailureKey, "[" + failures.joined(separator: ",") + "]")
    }

    /// The `request` expressions see: the `AdmissionRequest` of the matched version, without the objects.
    static func request(_ attributes: AdmissionAttributes, _ invocation: WebhookMatcher.Invocation) -> JSONValue {
        var request = AdmissionReview.request(uid: "", attributes: attributes, invocation: invocation)["request"] ?? .emptyObject
        for key in ["uid", "object", "oldObject"] { request[key] = nil }
        return request
    }

    /// The request's namespace as expressions see it (upstream's `CreateNamespaceObject`: spec,
    /// status and the identifying metadata); nil for cluster-scoped objects and namespaces
    /// themselves. A namespace that does not exist is `404`.
    private func namespaceObject(_ attributes: AdmissionAttributes) async throws -> JSONValue? {
        let isNamespace = attributes.kind.group.isEmpty && attributes.kind.version == "v1" && attributes.kind.kind == "Namespace"
        if attributes.namespace.isEmpty || isNamespace { return nil }
        let resource = GroupResource(group: "", resource: "namespaces")
        guard let namespace = await namespaces?.admissionLookup(namespace: nil, name: attributes.namespace) else {
            throw APIError.notFound(resource, name: attributes.namespace)
        }
        var metadata: JSONValue = .emptyObject
        for key in ["name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
                    "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "finalizers"] {
            metadata[key] = namespace[path: "metadata", key]
        }
        var object: JSONValue = ["metadata": metadata]
        object["spec"] = namespace["spec"]
        object["status"] = namespace["status"]
        return object
    }

    /// The client's answer: `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy '<p>' with
    /// binding '<b>' denied request: <message>` with the validation's reason (`Invalid` by default)
    /// and its code, the message also as the one cause (upstream's dispatcher).
    static func refusal(_ denial: Denial, _ attributes: AdmissionAttributes) -> APIError {
        let message = denial.binding.map {
            "ValidatingAdmissionPolicy '\(denial.policy)' with binding '\($0)' denied request: \(denial.decision.message)"
        } ?? "ValidatingAdmissionPolicy '\(denial.policy)' denied request: \(denial.decision.message)"
        let resource = GroupResource(group: attributes.resource.group, resource: attributes.resource.resource)
        let name = attributes.nameForErrors
        let reason = denial.decision.reason
        let code = switch reason {
        case .forbidden: 403
        case .unauthorized: 401
        case .requestEntityTooLarge: 413
        default: 422
        }
        return APIError(code: code, reason: reason, message: "\(resource) \"\(name)\" is forbidden: \(message)",
                        details: .init(name: name, group: resource.group, kind: resource.resource,
                                       causes: [.init(type: CauseType(rawValue: ""), message: message, field: "")]))
    }
}
