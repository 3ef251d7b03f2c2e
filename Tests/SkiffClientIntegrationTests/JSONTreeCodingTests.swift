import Foundation
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffTesting
import Testing

/// The generated `init(jsonTree:)` of every served kind makes what `JSONDecoder` makes of the same
/// JSON, and its `jsonTree` is what `JSONEncoder` writes: checked on every object a fresh cluster holds (its bootstrap objects) and on objects
/// chosen for their shapes (quantities, int-or-strings, micro-times, nested schemas).
struct JSONTreeCodingTests {
    static let documents: [String] = [
        #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"rich","namespace":"default","labels":{"app":"web"},"ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u1","controller":true}]},"spec":{"containers":[{"name":"c","image":"busybox","ports":[{"containerPort":80,"name":"http"}],"resources":{"limits":{"cpu":"500m","memory":128974848},"requests":{"cpu":0.25}},"readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":3},"livenessProbe":{"tcpSocket":{"port":8080}},"env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}}]}],"volumes":[{"name":"p","projected":{"sources":[{"serviceAccountToken":{"path":"token","expirationSeconds":3607}}],"defaultMode":420}}],"tolerations":[{"key":"k","operator":"Exists","effect":"NoSchedule","tolerationSeconds":300}],"affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[{"matchExpressions":[{"key":"zone","operator":"In","values":["a","b"]}]}]}}}}}"#,
        #"{"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"default"},"spec":{"selector":{"app":"web"},"ports":[{"port":80,"targetPort":"http","protocol":"TCP"},{"port":81,"targetPort":8081}],"clusterIP":null}}"#,
        #"{"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"l","namespace":"default"},"spec":{"holderIdentity":"me","leaseDurationSeconds":15,"renewTime":"2026-12-07T10:00:00.123456Z","acquireTime":"2026-12-07T09:00:00.000000Z"}}"#,
        #"{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h","namespace":"default"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":1,"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"AverageValue","averageValue":"1e3"}}}]}}"#,
        #"{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","names":{"plural":"widgets","kind":"Widget"},"scope":"Namespaced","versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","additionalProperties":false,"properties":{"size":{"type":"integer","minimum":1,"default":3},"tags":{"type":"array","items":{"type":"string"}},"anything":{"x-kubernetes-preserve-unknown-fields":true},"either":{"anyOf":[{"type":"string"},{"type":"integer"}],"x-kubernetes-int-or-string":true},"map":{"type":"object","additionalProperties":{"type":"string"}},"not":{"not":{"required":["x"]}}},"x-kubernetes-validations":[{"rule":"self.size < 10","message":"small"}]}}}}}]}}"#,
    ]

    @Test func generatedCodersAgreeWithJSONDecoderAndEncoder() async throws {
        try await InProcessCluster.withCluster { cluster in
            var checked = 0
            for document in Self.documents {
                let tree = try JSONValue(parsing: Array(document.utf8))
                let kind = try #require(BuiltinModels.kinds.first { $0.groupVersionKind.kind == tree["kind"]?.stringValue })
                try Self.expectAgreement(kind, tree)
                checked += 1
            }
            for kind in BuiltinModels.kinds {
                let items = try? await cluster.client.dynamic.resource(kind.groupVersionResource).list().items
                for item in items ?? [] {
                    try Self.expectAgreement(kind, item)
                    checked += 1
                }
            }
            #expect(checked > 100, "a fresh cluster's bootstrap objects and the documents")
        }
    }

    @Test func aTreeThatDoesNotFitSaysWhere() throws {
        let tree = try JSONValue(parsing: Array(#"{"spec":{"containers":[{"name":"c","ports":[{"containerPort":"eighty"}]}]}}"#.utf8))
        let error = #expect(throws: JSONTreeDecodingError.self) { try CoreV1.Pod(jsonTree: tree) }
        #expect(error?.description == "expected an integer at spec.containers.0.ports.0.containerPort")
        let missing = #expect(throws: JSONTreeDecodingError.self) { try CoreV1.Pod(jsonTree: ["spec": ["containers": [[:]]]]) }
        #expect(missing?.description == #"expected the member "name" at spec.containers.0"#)
    }

    private static func expectAgreement<Object: KubernetesObject>(_ kind: Object.Type, _ tree: JSONValue) throws {
        let viaDecoder = try JSONDecoder().decode(Object.self, from: Data(tree.serialized()))
        let treeType = try #require(Object.self as? any JSONTreeDecodable.Type)
        let viaTree = try #require(try treeType.init(jsonTree: tree) as? Object)
        #expect(viaTree == viaDecoder, "\(Object.groupVersionKind.kind) \(tree.name ?? "")")
        let encoded = try #require(viaTree as? any JSONTreeEncodable).jsonTree
        #expect(encoded == (try JSONValue(parsing: Array(JSONEncoder().encode(viaTree)))), "\(Object.groupVersionKind.kind) \(tree.name ?? "") encoded")
    }
}
