import SkiffComponentHelpers
import SkiffModels
import Testing

/// Taint toleration and node affinity as upstream's helpers judge them.
@Suite struct SchedulingPredicateTests {
    typealias Toleration = CoreV1.Toleration
    typealias Taint = CoreV1.Taint
    typealias Requirement = CoreV1.NodeSelectorRequirement
    typealias Term = CoreV1.NodeSelectorTerm

    static let gpuTaint = Taint(effect: "NoSchedule", key: "dedicated", value: "gpu")

    @Test func tolerationsMatchKeyValueAndEffect() {
        #expect(Toleration(effect: "NoSchedule", key: "dedicated", value: "gpu").tolerates(Self.gpuTaint))
        #expect(Toleration(key: "dedicated", operator: "Equal", value: "gpu").tolerates(Self.gpuTaint))
        #expect(!Toleration(key: "dedicated", value: "cpu").tolerates(Self.gpuTaint))
        #expect(Toleration(key: "dedicated", operator: "Exists").tolerates(Self.gpuTaint))
        #expect(!Toleration(effect: "NoExecute", key: "dedicated", operator: "Exists").tolerates(Self.gpuTaint))
        #expect(Toleration(operator: "Exists").tolerates(Self.gpuTaint))
        #expect(Toleration(value: "gpu").tolerates(Self.gpuTaint), "an empty key matches every key, as upstream")
        #expect(!Toleration(key: "other", operator: "Exists").tolerates(Self.gpuTaint))
        #expect(Toleration(key: "spot").tolerates(Taint(effect: "NoSchedule", key: "spot")), "an absent value equals an empty one")
        #expect(!Toleration(key: "dedicated", operator: "Gt", value: "gpu").tolerates(Self.gpuTaint))
    }

    @Test func untoleratedTaintsAreFoundByEffect() {
        let evicting = Taint(effect: "NoExecute", key: "node.kubernetes.io/unreachable")
        let preferring = Taint(effect: "PreferNoSchedule", key: "spot")
        let taints = [preferring, Self.gpuTaint, evicting]
        #expect(TaintToleration.untoleratedTaint(taints, tolerations: [], effects: ["NoSchedule", "NoExecute"]) == Self.gpuTaint)
        #expect(TaintToleration.untoleratedTaint(taints, tolerations: [], effects: ["NoExecute"]) == evicting)
        let tolerations = [Toleration(key: "dedicated", operator: "Exists"), Toleration(key: "node.kubernetes.io/unreachable", operator: "Exists")]
        #expect(TaintToleration.untoleratedTaint(taints, tolerations: tolerations, effects: ["NoSchedule", "NoExecute"]) == nil)
        #expect(Taint.unschedulable.forbidsScheduling)
        #expect(!preferring.forbidsScheduling)
    }

    @Test func tolerationsDecideEviction() {
        let unreachable = Taint(effect: "NoExecute", key: "node.kubernetes.io/unreachable")
        let other = Taint(effect: "NoExecute", key: "example.com/x", value: "a")
        let noSchedule = Taint(effect: "NoSchedule", key: "example.com/y")
        let fiveMinutes = Toleration(effect: "NoExecute", key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 300)
        let everything = Toleration(operator: "Exists")
        let equalA = Toleration(key: "example.com/x", value: "a")
        let equalB = Toleration(key: "example.com/x", operator: "Equal", value: "b")

        #expect(TaintToleration.verdict(tolerations: [], taints: [noSchedule]) == .stay)
        #expect(TaintToleration.verdict(tolerations: [], taints: [unreachable]) == .evict)
        #expect(TaintToleration.verdict(tolerations: [fiveMinutes], taints: [unreachable]) == .stayFor(seconds: 300))
        #expect(TaintToleration.verdict(tolerations: [fiveMinutes], taints: [unreachable, other]) == .evict)
        #expect(TaintToleration.verdict(tolerations: [fiveMinutes, equalA], taints: [unreachable, other]) == .stayFor(seconds: 300))
        #expect(TaintToleration.verdict(tolerations: [equalB], taints: [other]) == .evict)
        #expect(TaintToleration.verdict(tolerations: [everything], taints: [unreachable, other]) == .stay)
        var immediate = fiveMinutes
        immediate.tolerationSeconds = 0
        #expect(TaintToleration.verdict(tolerations: [immediate], taints: [unreachable]) == .evict)
    }

    static let labels = ["zone": "a", "cores": "8", "gpu": "true"]

    static func admits(nodeSelector: [String: String]? = nil, terms: [Term]? = nil) -> Bool {
        let affinity = terms.map { CoreV1.Affinity(nodeAffinity: CoreV1.NodeAffinity(requiredDuringSchedulingIgnoredDuringExecution: .init(nodeSelectorTerms: $0))) }
        return RequiredNodeAffinity(nodeSelector: nodeSelector, affinity: affinity).matches(labels: labels, name: "node-a")
    }

    @Test func nodeSelectorAndRequiredAffinity() {
        #expect(Self.admits())
        #expect(Self.admits(nodeSelector: ["zone": "a"]))
        #expect(!Self.admits(nodeSelector: ["zone": "b"]))
        #expect(Self.admits(terms: [Term(matchFields: [Requirement(key: "metadata.name", operator: "In", values: ["node-a"])])]))
        #expect(!Self.admits(terms: [Term(matchFields: [Requirement(key: "metadata.name", operator: "In", values: ["node-b"])])]))
        #expect(!Self.admits(terms: [Term(matchFields: [Requirement(key: "metadata.uid", operator: "Exists")])]), "only metadata.name is a field")
        // Terms are ORed, requirements within a term ANDed.
        let terms = [
            Term(matchExpressions: [Requirement(key: "zone", operator: "In", values: ["b"])]),
            Term(matchExpressions: [Requirement(key: "cores", operator: "Gt", values: ["4"]), Requirement(key: "spot", operator: "DoesNotExist")]),
        ]
        #expect(Self.admits(terms: terms))
        #expect(!Self.admits(terms: [Term(matchExpressions: [Requirement(key: "cores", operator: "Lt", values: ["4"])])]))
        #expect(!Self.admits(terms: [Term(matchExpressions: [Requirement(key: "gpu", operator: "NotIn", values: ["true"])])]))
        #expect(Self.admits(terms: [Term(matchExpressions: [Requirement(key: "gpu", operator: "Exists")])]))
        #expect(!Self.admits(terms: [Term()]), "an empty term matches nothing")
        #expect(!Self.admits(terms: []), "no terms match nothing")
        #expect(!Self.admits(nodeSelector: ["zone": "b"], terms: terms), "the node selector and the affinity must both match")
    }
}
