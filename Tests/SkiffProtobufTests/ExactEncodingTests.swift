import SkiffAPI
import SkiffProtobuf
import Testing

/// `KubernetesProtobuf.exactEncoding(of:)`: the storage form, which must give back the very object.
@Suite struct ExactEncodingTests {
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": [
            "name": "web-1", "namespace": "demo", "uid": "0b7a", "generation": 1, "creationTimestamp": "2026-12-06T10:00:00Z",
            "labels": ["app": "web"], "finalizers": ["example.com/hold"],
            "ownerReferences": [["apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "9f", "controller": true,
                                 "blockOwnerDeletion": true]],
            "managedFields": [["manager": "kubectl", "operation": "Apply", "apiVersion": "v1", "time": "2026-12-06T10:00:00Z",
                               "fieldsType": "FieldsV1", "fieldsV1": ["f:metadata": ["f:labels": ["f:app": .emptyObject]]]]],
        ],
        "spec": [
            "containers": [["name": "web", "image": "nginx:1.27", "ports": [["containerPort": 80, "protocol": "TCP"]],
                            "resources": ["requests": ["cpu": "100m"]], "terminationMessagePath": "/dev/termination-log"]],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "enableServiceLinks": true,
        ],
        "status": [
            "phase": "Pending",
            "conditions": [["type": "PodScheduled", "status": "True", "lastTransitionTime": "2026-12-06T10:00:01Z"]],
            // Zero values the JSON form has and protobuf decoding would otherwise drop.
            "containerStatuses": [["name": "web", "image": "nginx:1.27", "imageID": "", "ready": false, "restartCount": 0,
                                   "started": false, "state": ["waiting": ["reason": "ContainerCreating"]],
                                   "lastState": .emptyObject]],
        ],
    ]

    @Test func aPodIsStoredAsProtobufAndReadBackTheSame() throws {
        let bytes = try #require(KubernetesProtobuf.exactEncoding(of: Self.pod))
        #expect(KubernetesProtobuf.isEnveloped(bytes))
        #expect(try KubernetesProtobuf.decode(bytes, keepingZeroValues: true) == Self.pod)
        // Decoded as a client's body, the zero values are dropped as Go's omitempty would.
        #expect(try KubernetesProtobuf.decode(bytes)[path: "status", "containerStatuses"]?.arrayValue?.first?["ready"] == nil)
    }

    @Test func leaseTimesKeepTheirMicroseconds() throws {
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "node-1", "namespace": "kube-node-lease"],
            "spec": ["holderIdentity": "node-1", "leaseDurationSeconds": 40, "renewTime": "2026-12-06T10:00:01.123456Z"],
        ]
        let bytes = try #require(KubernetesProtobuf.exactEncoding(of: lease))
        #expect(try KubernetesProtobuf.decode(bytes, keepingZeroValues: true) == lease)
    }

    @Test func aZeroTimeIsNullAndAnEmptyMessage() throws {
        // Go's JSON form of a zero metav1.Time (a template's creationTimestamp, a core Event's eventTime).
        let event: JSONValue = [
            "apiVersion": "v1", "kind": "Event", "metadata": ["name": "web.1", "namespace": "demo"],
            "involvedObject": ["kind": "Pod", "name": "web"], "reason": "Scheduled", "eventTime": .null, "count": 1,
        ]
        let bytes = try #require(KubernetesProtobuf.exactEncoding(of: event))
        #expect(try KubernetesProtobuf.decode(bytes, keepingZeroValues: true) == event)
    }

    @Test func whatTheWireCannotHoldStaysJSON() {
        var emptyList = Self.pod
        emptyList[path: "metadata", "finalizers"] = []
        #expect(KubernetesProtobuf.exactEncoding(of: emptyList) == nil, "an empty list would come back absent")
        var emptyMap = Self.pod
        emptyMap[path: "metadata", "labels"] = .emptyObject
        #expect(KubernetesProtobuf.exactEncoding(of: emptyMap) == nil, "an empty map would come back absent")
        var unknown = Self.pod
        unknown["color"] = "blue"
        #expect(KubernetesProtobuf.exactEncoding(of: unknown) == nil, "a member the schema lacks would be lost")
        let custom: JSONValue = ["apiVersion": "stable.example.com/v1", "kind": "Widget", "metadata": ["name": "w"]]
        #expect(KubernetesProtobuf.exactEncoding(of: custom) == nil, "custom kinds have no protobuf message")
    }
}
