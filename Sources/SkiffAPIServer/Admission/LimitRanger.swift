import SkiffAPI
import SkiffComponentHelpers
import SkiffRegistry

/// Upstream's `LimitRanger` admission plugin, for new pods: the `Container` items of the
/// namespace's LimitRanges give containers their default requests and limits (noted in the
/// `kubernetes.io/limit-ranger` annotation), then every `Container` and `Pod` item's `min`,
/// `max` and `maxLimitRequestRatio` must hold (`403` with upstream's messages). Pod updates are
/// not looked at (their containers' resources are immutable), nor PersistentVolumeClaims.
struct LimitRanger: MutatingAdmissionPlugin, ValidatingAdmissionPlugin {
    let limitRanges: ResourceStore

    var name: String { "LimitRanger" }

    static let annotation = "kubernetes.io/limit-ranger"

    func handles(_ operation: AdmissionAttributes.Operation) -> Bool { operation == .create }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard Self.appliesTo(attributes), var pod = attributes.object else { return }
        for limitRange in try await limitRanges.admissionList(namespace: attributes.namespace) {
            Self.applyDefaults(of: limitRange, to: &pod)
        }
        attributes.object = pod
    }

    func validate(_ attributes: AdmissionAttributes) async throws {
        guard Self.appliesTo(attributes), let pod = attributes.object else { return }
        for limitRange in try await limitRanges.admissionList(namespace: attributes.namespace) {
            let messages = Self.violations(of: limitRange, by: pod)
            guard !messages.isEmpty else { continue }
            // Upstream's aggregate error: one message alone, several in brackets.
            throw AdmissionRefusal(messages.count == 1 ? messages[0] : "[\(messages.joined(separator: ", "))]")
        }
    }

    private static func appliesTo(_ attributes: AdmissionAttributes) -> Bool {
        attributes.resource.group.isEmpty && attributes.resource.resource == "pods" && attributes.subresource.isEmpty
    }

    /// Gives each container the defaults of the range's `Container` items it lacks.
    static func applyDefaults(of limitRange: JSONValue, to pod: inout JSONValue) {
        var defaultLimits: [String: JSONValue] = [:]
        var defaultRequests: [String: JSONValue] = [:]
        for item in limitRange[path: "spec", "limits"]?.arrayValue ?? [] where item["type"]?.stringValue == "Container" {
            defaultLimits.merge(item["default"]?.objectValue ?? [:]) { $1 }
            defaultRequests.merge(item["defaultRequest"]?.objectValue ?? [:]) { $1 }
        }
        guard !defaultLimits.isEmpty || !defaultRequests.isEmpty else { return }
        var notes: [String] = []
        for (field, role) in [("containers", "container"), ("initContainers", "init container")] {
            guard var containers = pod[path: "spec", field]?.arrayValue else { continue }
            for index in containers.indices {
                let name = containers[index]["name"]?.stringValue ?? ""
                // A limit the container states is its request too (the pod defaults, which
                // upstream applies before admission), so no default request replaces it.
                let ownLimits = containers[index][path: "resources", "limits"]?.objectValue ?? [:]
                let setRequests = fill(&containers[index], "requests", from: defaultRequests.filter { ownLimits[$0.key] == nil })
                let setLimits = fill(&containers[index], "limits", from: defaultLimits)
                if !setRequests.isEmpty { notes.append(setRequests.joined(separator: ", ") + " request for \(role) \(name)") }
                if !setLimits.isEmpty { notes.append(setLimits.joined(separator: ", ") + " limit for \(role) \(name)") }
            }
            pod[path: "spec", field] = .array(containers)
        }
        if !notes.isEmpty {
            pod.annotations[annotation] = "LimitRanger plugin set: " + notes.joined(separator: "; ")
        }
    }

    /// Sets the defaults a container's `resources.<kind>` lacks; the names set, sorted.
    private static func fill(_ container: inout JSONValue, _ kind: String, from defaults: [String: JSONValue]) -> [String] {
        var list = container[path: "resources", kind]?.objectValue ?? [:]
        let missing = defaults.keys.filter { list[$0] == nil }.sorted()
        guard !missing.isEmpty else { return [] }
        for name in missing { list[name] = defaults[name] }
        container[path: "resources", kind] = .object(list)
        return missing
    }

    /// What the pod breaks of the range's `Container` and `Pod` items, in upstream's order.
    static func violations(of limitRange: JSONValue, by pod: JSONValue) -> [String] {
        var messages: [String] = []
        for item in limitRange[path: "spec", "limits"]?.arrayValue ?? [] {
            switch item["type"]?.stringValue {
            case "Container":
                let containers = (pod[path: "spec", "containers"]?.arrayValue ?? []) + (pod[path: "spec", "initContainers"]?.arrayValue ?? [])
                for container in containers {
                    let constraints = LimitRangeConstraints(limitType: "Container",
                                                            requests: ResourceAmounts(json: container[path: "resources", "requests"]),
                                                            limits: ResourceAmounts(json: container[path: "resources", "limits"]))
                    messages += constraints.violations(of: item)
                }
            case "Pod":
                let constraints = LimitRangeConstraints(limitType: "Pod", requests: PodResourceTotals.totals(of: pod, "requests"),
                                                        limits: PodResourceTotals.totals(of: pod, "limits"))
                messages += constraints.violations(of: item)
            default:
                continue
            }
        }
        var seen: Set<String> = []
        return messages.filter { seen.insert($0).inserted }
    }
}
