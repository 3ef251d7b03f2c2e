import Foundation
import SkiffAPI
import SkiffClient
import SkiffComponentHelpers
import SkiffModels

/// What the scheduler needs of a Pod, parsed once when the informer delivers it, so that filters
/// and scores never read JSON.
final class PodInfo: Sendable {
    /// `namespace/name`.
    let key: String
    let namespace: String
    let name: String
    let uid: String
    let labels: [String: String]
    /// `spec.priority` (0 when unset).
    let priority: Int64
    let nodeName: String
    let schedulerName: String
    /// `Succeeded` or `Failed`.
    let isTerminal: Bool
    let isBeingDeleted: Bool
    /// Requests as NodeResourcesFit counts them.
    let requests: Resources
    /// Requests with upstream's defaults for containers that request no CPU or memory (for scores).
    let nonZeroRequests: Resources
    let hostPorts: [HostPort]
    /// `spec.nodeSelector` and the required node affinity.
    let requiredNodeAffinity: RequiredNodeAffinity
    let preferredNodeAffinity: [CoreV1.PreferredSchedulingTerm]
    let tolerations: [CoreV1.Toleration]
    /// `whenUnsatisfiable: DoNotSchedule` constraints.
    let spreadConstraints: [TopologySpreadConstraint]
    let requiredAffinityTerms: [AffinityTerm]
    let requiredAntiAffinityTerms: [AffinityTerm]
    /// Pod spec and metadata other than status, to tell real updates from status writes.
    let specification: JSONValue

    init(json: JSONValue) {
        let namespace = json.namespace ?? ""
        let labels = json.labels
        self.namespace = namespace
        name = json.name ?? ""
        key = namespace.isEmpty ? (json.name ?? "") : "\(namespace)/\(json.name ?? "")"
        uid = json.uid ?? ""
        self.labels = labels
        let spec = json["spec"]
        priority = spec?["priority"]?.intValue ?? 0
        nodeName = spec?["nodeName"]?.stringValue ?? ""
        schedulerName = spec?["schedulerName"]?.stringValue ?? ""
        let phase = json[path: "status", "phase"]?.stringValue
        isTerminal = phase == "Succeeded" || phase == "Failed"
        isBeingDeleted = json.deletionTimestamp != nil
        requests = PodRequests.of(spec: spec, nonZero: false)
        nonZeroRequests = PodRequests.of(spec: spec, nonZero: true)
        hostPorts = HostPort.of(spec: spec)
        let affinity: CoreV1.Affinity? = decodedField(spec?["affinity"])
        requiredNodeAffinity = RequiredNodeAffinity(
            nodeSelector: (spec?["nodeSelector"]?.objectValue ?? [:]).compactMapValues(\.stringValue), affinity: affinity)
        preferredNodeAffinity = affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []
        tolerations = decodedField(spec?["tolerations"]) ?? []
        spreadConstraints = (spec?["topologySpreadConstraints"]?.arrayValue ?? [])
            .filter { ($0["whenUnsatisfiable"]?.stringValue ?? "DoNotSchedule") == "DoNotSchedule" }
            .map { TopologySpreadConstraint(json: $0, podLabels: labels) }
        func terms(_ kind: String) -> [AffinityTerm] {
            (spec?[path: "affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution"]?.arrayValue ?? [])
                .map { AffinityTerm(json: $0, podNamespace: namespace) }
        }
        requiredAffinityTerms = terms("podAffinity")
        requiredAntiAffinityTerms = terms("podAntiAffinity")
        var specification = json
        specification["status"] = nil
        specification[path: "metadata", "resourceVersion"] = nil
        specification[path: "metadata", "generation"] = nil
        specification[path: "metadata", "managedFields"] = nil
        specification[path: "metadata", "finalizers"] = nil
        self.specification = specification
    }

    /// Whether this scheduler (`default-scheduler`) schedules the pod.
    var isForDefaultScheduler: Bool { schedulerName.isEmpty || schedulerName == Scheduler.name }

    /// Whether the pod has required pod affinity terms.
    var hasRequiredAffinity: Bool { !requiredAffinityTerms.isEmpty }

    /// Whether the pod has required pod anti-affinity terms.
    var hasRequiredAntiAffinity: Bool { !requiredAntiAffinityTerms.isEmpty }

    /// Whether the pod matches every one of `terms` (upstream's `podMatchesAllAffinityTerms`; false for none).
    func matchesAll(_ terms: [AffinityTerm]) -> Bool {
        !terms.isEmpty && terms.allSatisfy { $0.matches(self) }
    }
}

/// A field of an unstructured object as a typed model; nil when absent or malformed.
func decodedField<Value: Decodable>(_ value: JSONValue?) -> Value? {
    guard let value, value != .null else { return nil }
    return try? JSONDecoder().decode(Value.self, from: Data(value.serialized()))
}
