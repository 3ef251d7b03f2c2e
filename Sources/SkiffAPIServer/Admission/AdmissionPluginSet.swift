import SkiffAPI
import SkiffRegistry

/// The admission plugins the server has, by upstream's names and in upstream's order, and the
/// choice of those it runs (`--enable-admission-plugins`, `--disable-admission-plugins`).
public enum AdmissionPluginSet {
    /// Every built-in plugin, in the order upstream runs them.
    public static let ordered = [
        "NamespaceLifecycle", "PodSecurity", "LimitRanger", "ServiceAccount", "Priority", "DefaultStorageClass", "MutatingAdmissionWebhook",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota",
    ]

    /// The plugins on unless disabled: upstream's default set, among those Skiff has.
    public static let enabledByDefault: Set<String> = Set(ordered)

    /// The plugins to run: the defaults, plus `enable`, minus `disable` (upstream's flags); a name
    /// Skiff does not have is an error naming the flag.
    public static func selection(enable: [String], disable: [String]) throws(AdmissionPluginSelectionError) -> Set<String> {
        for (flag, names) in [("enable-admission-plugins", enable), ("disable-admission-plugins", disable)] {
            if let unknown = names.first(where: { !ordered.contains($0) }) {
                throw AdmissionPluginSelectionError(description: "\(flag) plugin \"\(unknown)\" is unknown")
            }
        }
        return enabledByDefault.union(enable).subtracting(disable)
    }

    /// The chain of the selected plugins, mutating and validating, in upstream's order;
    /// `authorizer` answers the policies' `authorizer` checks.
    static func chain(_ selected: Set<String>, registry: Registry, authorizer: any Authorizer) -> AdmissionChain {
        func store(_ resource: String) -> ResourceStore? { registry.store(for: GroupResource(group: "", resource: resource)) }
        var chain = AdmissionChain()
        for name in ordered where selected.contains(name) {
            switch name {
            case "NamespaceLifecycle":
                if let namespaces = store("namespaces") { chain.mutating.append(NamespaceLifecycle(namespaces: namespaces)) }
            case "PodSecurity":
                if let namespaces = store("namespaces") { chain.validating.append(PodSecurityAdmission(namespaces: namespaces)) }
            case "LimitRanger":
                guard let limitRanges = store("limitranges") else { continue }
                let plugin = LimitRanger(limitRanges: limitRanges)
                chain.mutating.append(plugin)
                chain.validating.append(plugin)
            case "ServiceAccount":
                guard let serviceAccounts = store("serviceaccounts") else { continue }
                let plugin = ServiceAccountAdmission(serviceAccounts: serviceAccounts)
                chain.mutating.append(plugin)
                chain.validating.append(plugin)
            case "Priority":
                guard let classes = registry.store(for: GroupResource(group: "scheduling.k8s.io", resource: "priorityclasses")) else { continue }
                let plugin = PriorityAdmission(priorityClasses: classes)
                chain.mutating.append(plugin)
                chain.validating.append(plugin)
            case "DefaultStorageClass":
                if let classes = registry.store(for: GroupResource(group: "storage.k8s.io", resource: "storageclasses")) {
                    chain.mutating.append(DefaultStorageClass(storageClasses: classes))
                }
            case "MutatingAdmissionWebhook":
                if let dispatcher = try? WebhookDispatcher(registry: registry, mutating: true) {
                    chain.mutating.append(MutatingAdmissionWebhook(dispatcher: dispatcher))
                }
            case "ValidatingAdmissionPolicy":
                if let plugin = try? ValidatingAdmissionPolicyPlugin(registry: registry, authorizer: authorizer) { chain.validating.append(plugin) }
            case "ValidatingAdmissionWebhook":
                if let dispatcher = try? WebhookDispatcher(registry: registry, mutating: false) {
                    chain.validating.append(ValidatingAdmissionWebhook(dispatcher: dispatcher))
                }
            case "ResourceQuota":
                if let quotas = store("resourcequotas") { chain.validating.append(ResourceQuotaAdmission(quotas: quotas)) }
            default:
                continue
            }
        }
        return chain
    }
}

/// A plugin name the server does not have, given to an admission flag.
public struct AdmissionPluginSelectionError: Error, Sendable, CustomStringConvertible {
    public var description: String
}
