import SkiffAPI
import SkiffRegistry

/// Upstream's `ServiceAccount` admission plugin, for new pods: a pod that names no service
/// account runs as `default`, and the account it names must exist in its namespace (`403`:
/// `error looking up service account <ns>/<name>: serviceaccount "<name>" not found`). The
/// `default` account is made by the service account controller just after its namespace, so a
/// missing `default` is looked for again a few times first, as upstream does.
///
/// Unless `automountServiceAccountToken` is false (the pod's, else the account's), the pod gets
/// the projected token volume `kube-api-access-<5 random>` (see `ServiceAccountTokenVolume`),
/// mounted read-only at `/var/run/secrets/kubernetes.io/serviceaccount` in every container and
/// init container that mounts nothing there already. A pod that names no `imagePullSecrets` gets
/// the account's.
struct ServiceAccountAdmission: MutatingAdmissionPlugin, ValidatingAdmissionPlugin {
    let serviceAccounts: ResourceStore
    /// How many times a missing `default` account is looked up, and the pause between lookups.
    var defaultAccountAttempts = 10
    var retryInterval: Duration = .milliseconds(150)

    var name: String { "ServiceAccount" }

    static let defaultAccount = "default"
    static let mirrorPodAnnotation = "kubernetes.io/config.mirror"

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard Self.appliesTo(attributes), var pod = attributes.object else { return }
        if pod.annotations[Self.mirrorPodAnnotation] != nil { return }
        if (pod[path: "spec", "serviceAccountName"]?.stringValue ?? "").isEmpty {
            pod[path: "spec", "serviceAccountName"] = .string(Self.defaultAccount)
            attributes.object = pod
        }
        let account = try await requireAccount(of: pod, attributes)
        if (pod[path: "spec", "imagePullSecrets"]?.arrayValue ?? []).isEmpty, let secrets = account["imagePullSecrets"]?.arrayValue,
            !secrets.isEmpty
        {
            pod[path: "spec", "imagePullSecrets"] = .array(secrets.map { ["name": $0["name"] ?? .string("")] })
            attributes.object = pod
        }
        let automount = pod[path: "spec", "automountServiceAccountToken"]?.boolValue ?? account["automountServiceAccountToken"]?.boolValue ?? true
        if automount {
            ServiceAccountTokenVolume.mount(into: &pod)
            attributes.object = pod
        }
    }

    func validate(_ attributes: AdmissionAttributes) async throws {
        guard Self.appliesTo(attributes), let pod = attributes.object else { return }
        let account = pod[path: "spec", "serviceAccountName"]?.stringValue ?? ""
        if pod.annotations[Self.mirrorPodAnnotation] != nil {
            if !account.isEmpty { throw AdmissionRefusal("mirror pods may not reference service accounts") }
            return
        }
        if account.isEmpty {
            throw AdmissionRefusal("no service account specified for pod \(attributes.namespace)/\(pod.name ?? "")")
        }
        _ = try await requireAccount(of: pod, attributes)
    }

    private static func appliesTo(_ attributes: AdmissionAttributes) -> Bool {
        attributes.resource.group.isEmpty && attributes.resource.resource == "pods" && attributes.subresource.isEmpty
    }

    /// The account the pod names; refuses the pod when it does not exist.
    private func requireAccount(of pod: JSONValue, _ attributes: AdmissionAttributes) async throws -> JSONValue {
        let account = pod[path: "spec", "serviceAccountName"]?.stringValue ?? ""
        let attempts = account == Self.defaultAccount ? defaultAccountAttempts : 1
        for attempt in 0..<attempts {
            if attempt > 0 { try await Task.sleep(for: retryInterval) }
            if let found = await serviceAccounts.admissionLookup(namespace: attributes.namespace, name: account) { return found }
        }
        throw AdmissionRefusal("error looking up service account \(attributes.namespace)/\(account): serviceaccount \"\(account)\" not found")
    }
}
