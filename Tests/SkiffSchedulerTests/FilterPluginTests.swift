import SkiffComponentHelpers
import SkiffAPI
import SkiffClient
@testable import SkiffScheduler
import Testing

@Suite struct FilterPluginTests {
    private func filter(_ plugin: some FilterPlugin, _ pod: JSONValue, _ node: NodeInfo, others: [NodeInfo] = []) -> FilterFailure? {
        let info = PodInfo(json: pod)
        return plugin.filter(info, on: node, state: Fixtures.state(info, [node] + others))
    }

    @Test func nodeUnschedulableRejectsCordonedNodesUnlessTolerated() {
        let cordoned = Fixtures.nodeInfo(Fixtures.node("n1", unschedulable: true))
        #expect(filter(NodeUnschedulable(), Fixtures.pod("p"), cordoned) == .unresolvable("node(s) were unschedulable"))
        let tolerating = Fixtures.pod("p", spec: ["tolerations": [["key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"]]])
        #expect(filter(NodeUnschedulable(), tolerating, cordoned) == nil)
        #expect(filter(NodeUnschedulable(), Fixtures.pod("p"), Fixtures.nodeInfo(Fixtures.node("n2"))) == nil)
    }

    @Test func nodeNameMatchesOnlyTheNamedNode() {
        let pod = Fixtures.pod("p", spec: ["nodeName": "n1"])
        #expect(filter(NodeName(), pod, Fixtures.nodeInfo(Fixtures.node("n1"))) == nil)
        #expect(filter(NodeName(), pod, Fixtures.nodeInfo(Fixtures.node("n2"))) == .unresolvable("node(s) didn't match the requested node name"))
    }

    @Test func taintTolerationNamesTheFirstUntoleratedTaint() {
        let node = Fixtures.nodeInfo(Fixtures.node("n1", taints: [
            Fixtures.taint("soft", effect: "PreferNoSchedule"), Fixtures.taint("dedicated", "gpu"),
        ]))
        #expect(filter(TaintToleration(), Fixtures.pod("p"), node) == .unresolvable("node(s) had untolerated taint {dedicated: gpu}"))
        let equal = Fixtures.pod("p", spec: ["tolerations": [["key": "dedicated", "value": "gpu", "effect": "NoSchedule"]]])
        #expect(filter(TaintToleration(), equal, node) == nil)
        let wrongValue = Fixtures.pod("p", spec: ["tolerations": [["key": "dedicated", "value": "cpu"]]])
        #expect(filter(TaintToleration(), wrongValue, node) != nil)
        let everything = Fixtures.pod("p", spec: ["tolerations": [["operator": "Exists"]]])
        #expect(filter(TaintToleration(), everything, node) == nil)
        let noExecute = Fixtures.nodeInfo(Fixtures.node("n2", taints: [Fixtures.taint("gone", effect: "NoExecute")]))
        let onlyNoSchedule = Fixtures.pod("p", spec: ["tolerations": [["key": "gone", "operator": "Exists", "effect": "NoSchedule"]]])
        #expect(filter(TaintToleration(), onlyNoSchedule, noExecute) == .unresolvable("node(s) had untolerated taint {gone: }"))
    }

    @Test func nodeAffinityHonoursSelectorAndEveryOperator() {
        let node = Fixtures.nodeInfo(Fixtures.node("n1", labels: ["zone": "a", "gen": "5"]))
        let reason = FilterFailure.unresolvable("node(s) didn't match Pod's node affinity/selector")
        #expect(filter(NodeAffinity(), Fixtures.pod("p", spec: ["nodeSelector": ["zone": "a"]]), node) == nil)
        #expect(filter(NodeAffinity(), Fixtures.pod("p", spec: ["nodeSelector": ["zone": "b"]]), node) == reason)
        func required(_ expressions: [JSONValue], fields: [JSONValue] = []) -> JSONValue {
            Fixtures.pod("p", spec: ["affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
                "nodeSelectorTerms": [["matchExpressions": .array(expressions), "matchFields": .array(fields)]],
            ]]]])
        }
        let cases: [(JSONValue, Bool)] = [
            (["key": "zone", "operator": "In", "values": ["a", "b"]], true),
            (["key": "zone", "operator": "NotIn", "values": ["a"]], false),
            (["key": "missing", "operator": "NotIn", "values": ["a"]], true),
            (["key": "zone", "operator": "Exists"], true),
            (["key": "zone", "operator": "DoesNotExist"], false),
            (["key": "gen", "operator": "Gt", "values": ["4"]], true),
            (["key": "gen", "operator": "Lt", "values": ["5"]], false),
            (["key": "zone", "operator": "Gt", "values": ["1"]], false),
        ]
        for (expression, fits) in cases {
            #expect((filter(NodeAffinity(), required([expression]), node) == nil) == fits, "\(expression)")
        }
        #expect(filter(NodeAffinity(), required([], fields: [["key": "metadata.name", "operator": "In", "values": ["n1"]]]), node) == nil)
        #expect(filter(NodeAffinity(), required([], fields: [["key": "metadata.name", "operator": "NotIn", "values": ["n1"]]]), node) == reason)
        #expect(filter(NodeAffinity(), required([]), node) == reason, "an empty term matches nothing")
    }

    @Test func nodeResourcesFitCountsBoundPodsAndEveryShortage() {
        let node = Fixtures.nodeInfo(Fixtures.node("n1", cpu: "2", memory: "1Gi", pods: 2), pods: [Fixtures.pod("a", cpu: "1500m", memory: "512Mi")])
        #expect(filter(NodeResourcesFit(), Fixtures.pod("p", cpu: "500m", memory: "512Mi"), node) == nil)
        #expect(filter(NodeResourcesFit(), Fixtures.pod("p", cpu: "501m", memory: "513Mi"), node)
            == FilterFailure(code: .unschedulable, reasons: ["Insufficient cpu", "Insufficient memory"]))
        let full = Fixtures.nodeInfo(Fixtures.node("n1", pods: 1), pods: [Fixtures.pod("a")])
        #expect(filter(NodeResourcesFit(), Fixtures.pod("p"), full) == .unschedulable("Too many pods"))
    }

    @Test func podRequestsTakeInitContainersAndOverheadIntoAccount() {
        let pod = PodInfo(json: Fixtures.pod("p", cpu: "100m", spec: [
            "containers": [
                ["name": "a", "resources": ["requests": ["cpu": "100m"]]], ["name": "b", "resources": ["requests": ["cpu": "200m"]]],
            ],
            "initContainers": [["name": "init", "resources": ["requests": ["cpu": "500m", "memory": "1Gi"]]]],
            "overhead": ["cpu": "10m"],
        ]))
        #expect(pod.requests == ComputeResources(milliCPU: 510, memory: 1 << 30))
        let sidecar = PodInfo(json: Fixtures.pod("p", spec: [
            "containers": [["name": "a", "resources": ["requests": ["cpu": "100m"]]]],
            "initContainers": [
                ["name": "proxy", "restartPolicy": "Always", "resources": ["requests": ["cpu": "50m"]]],
                ["name": "setup", "resources": ["requests": ["cpu": "120m"]]],
            ],
        ]))
        #expect(sidecar.requests.milliCPU == 170)
        let empty = PodInfo(json: Fixtures.pod("p"))
        #expect(empty.requests.isZero)
        #expect(empty.nonZeroRequests == ComputeResources(milliCPU: 100, memory: 200 * 1024 * 1024))
    }

    @Test func nodePortsConflictOnTheSamePortProtocolAndAddress() {
        func withPort(_ name: String, _ port: Int64, ip: String? = nil, protocol: String = "TCP") -> JSONValue {
            var entry: JSONValue = ["containerPort": 80, "hostPort": .int(port), "protocol": .string(`protocol`)]
            if let ip { entry["hostIP"] = .string(ip) }
            return Fixtures.pod(name, spec: ["containers": [["name": "c", "ports": [entry]]]])
        }
        let node = Fixtures.nodeInfo(Fixtures.node("n1"), pods: [withPort("a", 8080, ip: "10.0.0.1")])
        let reason = FilterFailure.unschedulable("node(s) didn't have free ports for the requested pod ports")
        #expect(filter(NodePorts(), withPort("p", 8080), node) == reason, "0.0.0.0 conflicts with any address")
        #expect(filter(NodePorts(), withPort("p", 8080, ip: "10.0.0.1"), node) == reason)
        #expect(filter(NodePorts(), withPort("p", 8080, ip: "10.0.0.2"), node) == nil)
        #expect(filter(NodePorts(), withPort("p", 8080, protocol: "UDP"), node) == nil)
        #expect(filter(NodePorts(), withPort("p", 9090), node) == nil)
    }

    @Test func podTopologySpreadKeepsSkewWithinMaxSkew() {
        let constraint: JSONValue = [
            "maxSkew": 1, "topologyKey": "zone", "whenUnsatisfiable": "DoNotSchedule", "labelSelector": ["matchLabels": ["app": "web"]],
        ]
        let web = ["app": "web"]
        let a = Fixtures.nodeInfo(Fixtures.node("a", labels: ["zone": "a"]), pods: [Fixtures.pod("w1", labels: web), Fixtures.pod("w2", labels: web)])
        let b = Fixtures.nodeInfo(Fixtures.node("b", labels: ["zone": "b"]), pods: [Fixtures.pod("w3", labels: web)])
        let unlabeled = Fixtures.nodeInfo(Fixtures.node("c"))
        let pod = Fixtures.pod("p", labels: web, spec: ["topologySpreadConstraints": [constraint]])
        #expect(filter(PodTopologySpread(), pod, a, others: [b, unlabeled])
            == .unschedulable("node(s) didn't match pod topology spread constraints"))
        #expect(filter(PodTopologySpread(), pod, b, others: [a, unlabeled]) == nil)
        #expect(filter(PodTopologySpread(), pod, unlabeled, others: [a, b])
            == .unresolvable("node(s) didn't match pod topology spread constraints (missing required label)"))
        var withMinDomains = constraint
        withMinDomains["minDomains"] = 3
        let needsThree = Fixtures.pod("p", labels: web, spec: ["topologySpreadConstraints": [withMinDomains]])
        #expect(filter(PodTopologySpread(), needsThree, b, others: [a]) != nil, "fewer domains than minDomains: the minimum counts as 0")
        let otherNamespace = Fixtures.pod("p", namespace: "other", labels: web, spec: ["topologySpreadConstraints": [constraint]])
        #expect(filter(PodTopologySpread(), otherNamespace, a, others: [b]) == nil, "only pods of the pod's namespace count")
    }

    @Test func interPodAffinityRequiresAndForbidsPodsInTheDomain() {
        let db = Fixtures.pod("db", labels: ["app": "db"])
        let withDB = Fixtures.nodeInfo(Fixtures.node("a", labels: ["zone": "z1"]), pods: [db])
        let sameZone = Fixtures.nodeInfo(Fixtures.node("b", labels: ["zone": "z1"]))
        let otherZone = Fixtures.nodeInfo(Fixtures.node("c", labels: ["zone": "z2"]))
        let all = [withDB, sameZone, otherZone]
        func term(_ key: String) -> JSONValue { ["labelSelector": ["matchLabels": ["app": "db"]], "topologyKey": .string(key)] }
        func check(_ pod: JSONValue, _ node: NodeInfo) -> FilterFailure? {
            let info = PodInfo(json: pod)
            return InterPodAffinity().filter(info, on: node, state: Fixtures.state(info, all))
        }
        let affine = Fixtures.pod("p", spec: ["affinity": ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [term("zone")]]]])
        #expect(check(affine, sameZone) == nil)
        #expect(check(affine, otherZone) == .unresolvable("node(s) didn't match pod affinity rules"))
        let anti = Fixtures.pod("p", spec: ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [term("kubernetes.io/hostname")]]]])
        #expect(check(anti, withDB) == .unschedulable("node(s) didn't match pod anti-affinity rules"))
        #expect(check(anti, sameZone) == nil)
        // An existing pod's anti-affinity keeps matching pods out of its domain.
        let guarded = Fixtures.pod("guard", spec: ["affinity": ["podAntiAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "web"]], "topologyKey": "zone"],
        ]]]])
        let guardedNode = Fixtures.nodeInfo(Fixtures.node("g", labels: ["zone": "z3"]), pods: [guarded])
        let free = Fixtures.nodeInfo(Fixtures.node("h", labels: ["zone": "z4"]))
        let webPod = PodInfo(json: Fixtures.pod("w", labels: ["app": "web"]))
        let state = Fixtures.state(webPod, [guardedNode, free])
        #expect(InterPodAffinity().filter(webPod, on: guardedNode, state: state)
            == .unschedulable("node(s) didn't satisfy existing pods anti-affinity rules"))
        #expect(InterPodAffinity().filter(webPod, on: free, state: state) == nil)
        // The first pod of a group with affinity to itself may go anywhere with the topology key.
        let selfAffine = Fixtures.pod("first", labels: ["app": "cache"], spec: ["affinity": ["podAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
            ["labelSelector": ["matchLabels": ["app": "cache"]], "topologyKey": "zone"],
        ]]]])
        #expect(check(selfAffine, otherZone) == nil)
    }
}
