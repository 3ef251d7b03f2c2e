import SkiffAPI
import SkiffRegistry

/// Upstream's `Priority` admission plugin. New pods get `spec.priority` and
/// `spec.preemptionPolicy` from the PriorityClass they name, else from the global default class
/// (whose name they then take), else priority 0 and `PreemptLowerPriority`; an unknown class name,
/// or a priority or policy that differs from the class's, is refused (`403`). Updates keep the
/// stored values. Among PriorityClasses at most one may be `globalDefault`.
struct PriorityAdmission: MutatingAdmissionPlugin, ValidatingAdmissionPlugin {
    let priorityClasses: ResourceStore

    var name: String { "Priority" }

    func admit(_ attributes: inout AdmissionAttributes) async throws {
        guard attributes.subresource.isEmpty, attributes.resource.group.isEmpty, attributes.resource.resource == "pods",
              var pod = attributes.object
        else { return }
        switch attributes.operation {
        case .create:
            try await resolvePriority(of: &pod)
        case .update:
            // Validation refuses changes to these; an update that leaves them out keeps them.
            for field in ["priority", "preemptionPolicy"] where pod[path: "spec", field] == nil {
                pod[path: "spec", field] = attributes.oldObject?[path: "spec", field]
            }
        default:
            return
        }
        attributes.object = pod
    }

    func validate(_ attributes: AdmissionAttributes) async throws {
        guard attributes.subresource.isEmpty, attributes.resource.group == "scheduling.k8s.io",
              attributes.resource.resource == "priorityclasses", attributes.operation == .create || attributes.operation == .update,
              let priorityClass = attributes.object, priorityClass["globalDefault"]?.boolValue == true,
              let existing = try await defaultClass(fresh: true)
        else { return }
        if attributes.operation == .create || existing.name != priorityClass.name {
            throw AdmissionRefusal("PriorityClass \(existing.name ?? "") is already marked as default. Only one default can exist")
        }
    }

    private func resolvePriority(of pod: inout JSONValue) async throws {
        let className = pod[path: "spec", "priorityClassName"]?.stringValue ?? ""
        let priorityClass: JSONValue?
        if className.isEmpty {
            priorityClass = try await defaultClass(fresh: false)
            if let name = priorityClass?.name { pod[path: "spec", "priorityClassName"] = .string(name) }
        } else {
            guard let found = await priorityClasses.admissionLookup(namespace: nil, name: className) else {
                throw AdmissionRefusal("no PriorityClass with name \(className) was found")
            }
            priorityClass = found
        }
        let priority = priorityClass?["value"]?.intValue ?? 0
        if let given = pod[path: "spec", "priority"]?.intValue, given != priority {
            throw AdmissionRefusal(
                "the integer value of priority (\(given)) must not be provided in pod spec; priority admission controller computed \(priority) from the given PriorityClass name")
        }
        pod[path: "spec", "priority"] = .int(priority)
        let policy = priorityClass == nil ? "PreemptLowerPriority" : priorityClass?["preemptionPolicy"]?.stringValue ?? ""
        guard !policy.isEmpty else { return }
        if let given = pod[path: "spec", "preemptionPolicy"]?.stringValue, given != policy {
            throw AdmissionRefusal(
                "the string value of PreemptionPolicy (\(given)) must not be provided in pod spec; priority admission controller computed \(policy) from the given PriorityClass name")
        }
        pod[path: "spec", "preemptionPolicy"] = .string(policy)
    }

    /// The global default class; of several (a race), the one with the lowest value. Pods read
    /// the watch cache, as upstream's lister; a new default class is checked against storage, so
    /// that one created a moment before is not missed.
    private func defaultClass(fresh: Bool) async throws -> JSONValue? {
        let classes = fresh
            ? try await priorityClasses.list(namespace: nil, options: ListOptions(limit: 500)).items.map(\.decoded)
            : try await priorityClasses.admissionList(namespace: nil)
        return classes
            .filter { $0["globalDefault"]?.boolValue == true }
            .min { ($0["value"]?.intValue ?? 0) < ($1["value"]?.intValue ?? 0) }
    }
}
