import SkiffAPI
import SkiffClient
import Testing

/// Taint toleration and node affinity as upstream's helpers judge them.
@Suite struct SchedulingPredicateTests {
    static let gpuTaint: JSONValue = ["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]

    @Test func tolerationsMatchKeyValueAndEffect() {
        #expect(TaintToleration.tolerates(["key": "dedicated", "value": "gpu", "effect": "NoSchedule"], taint: Self.gpuTaint))
        #expect(TaintToleration.tolerates(["key": "dedicated", "operator": "Equal", "value": "gpu"], taint: Self.gpuTaint))
        #expect(!TaintToleration.tolerates(["key": "dedicated", "value": "cpu"], taint: Self.gpuTaint))
        #expect(TaintToleration.tolerates(["key": "dedicated", "operator": "Exists"], taint: Self.gpuTaint))
        #expect(!TaintToleration.tolerates(["key": "dedicated", "operator": "Exists", "effect": "NoExecute"], taint: Self.gpuTaint))
        #expect(TaintToleration.tolerates(["operator": "Exists"], taint: Self.gpuTaint))
        #expect(TaintToleration.tolerates(["value": "gpu"], taint: Self.gpuTaint), "an empty key matches every key, as upstream")
        #expect(!TaintToleration.tolerates(["key": "other", "operator": "Exists"], taint: Self.gpuTaint))
    }

    @Test func untoleratedTaintsAreFoundByEffect() {
        let evicting: JSONValue = ["key": "node.kubernetes.io/unreachable", "effect": "NoExecute"]
        let preferring: JSONValue = ["key": "spot", "effect": "PreferNoSchedule"]
        let taints = [preferring, Self.gpuTaint, evicting]
        #expect(TaintToleration.untoleratedTaint(taints, tolerations: [], effects: ["NoSchedule", "NoExecute"]) == Self.gpuTaint)
        #expect(TaintToleration.untoleratedTaint(taints, tolerations: [], effects: ["NoExecute"]) == evicting)
        let tolerations: [JSONValue] = [["key": "dedicated", "operator": "Exists"], ["key": "node.kubernetes.io/unreachable", "operator": "Exists"]]
        #expect(TaintToleration.untoleratedTaint(taints, tolerations: tolerations, effects: ["NoSchedule", "NoExecute"]) == nil)
    }

    static let node: JSONValue = ["metadata": ["name": "node-a", "labels": ["zone": "a", "cores": "8", "gpu": "true"]]]

    @Test func nodeSelectorAndRequiredAffinity() {
        #expect(NodeAffinity.admits(.emptyObject, node: Self.node))
        #expect(NodeAffinity.admits(["nodeSelector": ["zone": "a"]], node: Self.node))
        #expect(!NodeAffinity.admits(["nodeSelector": ["zone": "b"]], node: Self.node))
        func affinity(_ terms: JSONValue) -> JSONValue {
            ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": ["nodeSelectorTerms": terms]]]]
        }
        #expect(NodeAffinity.admits(affinity([["matchFields": [["key": "metadata.name", "operator": "In", "values": ["node-a"]]]]]), node: Self.node))
        #expect(!NodeAffinity.admits(affinity([["matchFields": [["key": "metadata.name", "operator": "In", "values": ["node-b"]]]]]), node: Self.node))
        // Terms are ORed, requirements within a term ANDed.
        let terms: JSONValue = [
            ["matchExpressions": [["key": "zone", "operator": "In", "values": ["b"]]]],
            ["matchExpressions": [["key": "cores", "operator": "Gt", "values": ["4"]], ["key": "spot", "operator": "DoesNotExist"]]],
        ]
        #expect(NodeAffinity.admits(affinity(terms), node: Self.node))
        #expect(!NodeAffinity.admits(affinity([["matchExpressions": [["key": "cores", "operator": "Lt", "values": ["4"]]]]]), node: Self.node))
        #expect(!NodeAffinity.admits(affinity([["matchExpressions": [["key": "gpu", "operator": "NotIn", "values": ["true"]]]]]), node: Self.node))
        #expect(NodeAffinity.admits(affinity([["matchExpressions": [["key": "gpu", "operator": "Exists"]]]]), node: Self.node))
        #expect(!NodeAffinity.admits(affinity([[:]]), node: Self.node), "an empty term matches nothing")
        #expect(!NodeAffinity.admits(affinity([]), node: Self.node), "no terms match nothing")
    }
}
