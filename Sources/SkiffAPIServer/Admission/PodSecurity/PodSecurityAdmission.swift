import SkiffAPI
import SkiffRegistry

/// Upstream's `PodSecurity` admission plugin: a namespace's `pod-security.kubernetes.io/enforce`
/// level refuses new pods that break it (`403`: `violates PodSecurity "restricted:latest": ...`);
/// its `warn` level answers allowed pods, and workloads whose pod template breaks it (enforce
/// does not apply to templates), with a `would violate PodSecurity ...` warning. Namespaces without labels
/// are `privileged`: nothing is checked. Not done: the `audit` mode (audit annotations), the
/// exemptions configuration, pod updates, and the warnings about existing pods when a namespace's
/// level changes.
struct PodSecurityAdmission: ValidatingAdmissionPlugin {
    let namespaces: ResourceStore

    var name: String { "PodSecurity" }

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create || operation == .update }

    /// Where the pod template of each workload kind is (upstream's pod spec extractor).
    private static let templatePaths: [GroupResource: [String]] = [
        GroupResource(group: "", resource: "replicationcontrollers"): ["spec", "template"],
        GroupResource(group: "", resource: "podtemplates"): ["template"],
        GroupResource(group: "apps", resource: "replicasets"): ["spec", "template"],
        GroupResource(group: "apps", resource: "deployments"): ["spec", "template"],
        GroupResource(group: "apps", resource: "statefulsets"): ["spec", "template"],
        GroupResource(group: "apps", resource: "daemonsets"): ["spec", "template"],
        GroupResource(group: "batch", resource: "jobs"): ["spec", "template"],
        GroupResource(group: "batch", resource: "cronjobs"): ["spec", "jobTemplate", "spec", "template"],
    ]

    func validate(_ attributes: AdmissionAttributes) async throws {
        guard attributes.subresource.isEmpty, !attributes.namespace.isEmpty, let object = attributes.object else { return }
        let resource = GroupResource(group: attributes.resource.group, resource: attributes.resource.resource)
        let isPod = resource == GroupResource(group: "", resource: "pods")
        let template: JSONValue?
        if isPod {
            guard attributes.operation == .create else { return }
            template = object
        } else if let path = Self.templatePaths[resource] {
            template = object[path: path[...]]
            // Updates that leave the template alone are not looked at again.
            if attributes.operation == .update, attributes.oldObject?[path: path[...]] == template { return }
        } else {
            return
        }
        guard let template, let namespace = await namespaces.admissionLookup(namespace: nil, name: attributes.namespace) else { return }
        let labels = namespace.labels
        let enforce = PodSecurityLevel(labels: labels, mode: "enforce")
        let warn = PodSecurityLevel(labels: labels, mode: "warn")
        guard enforce.standard != .privileged || warn.standard != .privileged else { return }
        let checks = PodSecurityChecks(spec: template["spec"] ?? .emptyObject)
        if isPod {
            let violations = checks.violations(enforce)
            if !violations.isEmpty {
                // A refused request gets no warnings.
                throw AdmissionRefusal("violates PodSecurity \"\(enforce.description)\": \(PodSecurityChecks.summary(violations))")
            }
        }
        let warnings = checks.violations(warn)
        if !warnings.isEmpty {
            attributes.warnings?.add("would violate PodSecurity \"\(warn.description)\": \(PodSecurityChecks.summary(warnings))")
        }
    }
}
