import SkiffAPI
import SkiffProtobuf
import Testing

@Suite struct KubernetesProtobufTests {
    @Test func configMapRoundTrip() throws {
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": "app", "namespace": "demo", "labels": ["a": "b"], "creationTimestamp": "2024-01-02T03:04:05Z"],
            "data": ["k": "v"], "binaryData": ["bin": "AAEC"],
        ]
        let bytes = try KubernetesProtobuf.encode(object)
        #expect(Array(bytes.prefix(4)) == [0x6B, 0x38, 0x73, 0x00])
        #expect(try KubernetesProtobuf.decode(bytes) == object)
    }

    @Test func specialTypes() throws {
        let deployment: JSONValue = [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": "web"],
            "spec": [
                "replicas": 0,
                "selector": ["matchLabels": ["app": "web"]],
                "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": 1]],
                "template": [
                    "metadata": ["labels": ["app": "web"]],
                    "spec": [
                        "containers": [["name": "c", "image": "nginx", "resources": ["limits": ["cpu": "500m", "memory": "1Gi"]],
                                        "livenessProbe": ["httpGet": ["path": "/", "port": "http"], "periodSeconds": 5]]],
                        "volumes": [["name": "data", "emptyDir": .emptyObject]],
                    ],
                ],
            ],
        ]
        let decoded = try KubernetesProtobuf.decode(try KubernetesProtobuf.encode(deployment))
        #expect(decoded[path: "spec", "replicas"] == 0, "an explicit zero survives")
        #expect(decoded[path: "spec", "strategy", "rollingUpdate", "maxSurge"] == "25%")
        #expect(decoded[path: "spec", "strategy", "rollingUpdate", "maxUnavailable"] == 1)
        let container = decoded[path: "spec", "template", "spec", "containers"]?.arrayValue?.first
        #expect(container?[path: "resources", "limits", "cpu"] == "500m")
        #expect(container?[path: "livenessProbe", "httpGet", "port"] == "http", "ProbeHandler is inlined in Probe")
        #expect(decoded[path: "spec", "template", "spec", "volumes"]?.arrayValue?.first?["emptyDir"] == .emptyObject,
                "VolumeSource is inlined in Volume")
    }

    @Test func secretBytesAreBase64() throws {
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "data": ["k": "dmFsdWU="], "type": "Opaque"]
        #expect(try KubernetesProtobuf.decode(try KubernetesProtobuf.encode(secret)) == secret)
    }

    @Test func rejectsGarbage() {
        #expect(throws: ProtobufError.self) { try KubernetesProtobuf.decode([1, 2, 3, 4, 5]) }
        #expect(throws: ProtobufError.self) { try KubernetesProtobuf.decode([0x6B, 0x38, 0x73, 0x00, 0x0A, 0xFF]) }
    }
}
