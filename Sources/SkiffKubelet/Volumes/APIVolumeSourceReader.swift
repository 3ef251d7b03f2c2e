import Foundation
import SkiffAPI
import SkiffClient
import SkiffModels

/// Reads config maps, secrets, claims and volumes and requests service account tokens through the kubelet's client.
struct APIVolumeSourceReader: VolumeSourceReader {
    let client: KubernetesClient
    let clock: any TimestampClock

    func configMap(namespace: String, name: String) async throws -> [String: [UInt8]]? {
        guard let map = try await object(CoreV1.ConfigMap.groupVersionResource, namespace: namespace, name: name) else { return nil }
        var contents = (map["data"]?.objectValue ?? [:]).compactMapValues { $0.stringValue.map { Array($0.utf8) } }
        for (key, value) in map["binaryData"]?.objectValue ?? [:] {
            contents[key] = value.stringValue.flatMap { Data(base64Encoded: $0) }.map(Array.init)
        }
        return contents
    }

    func typedSecret(namespace: String, name: String) async throws -> (type: String, data: [String: [UInt8]])? {
        guard let secret = try await object(CoreV1.Secret.groupVersionResource, namespace: namespace, name: name) else { return nil }
        let data = (secret["data"]?.objectValue ?? [:]).compactMapValues { $0.stringValue.flatMap { Data(base64Encoded: $0) }.map(Array.init) }
        return (secret["type"]?.stringValue ?? "Opaque", data)
    }

    func serviceAccountToken(_ request: ServiceAccountTokenRequest) async throws -> IssuedToken {
        var spec: JSONValue = [
            "expirationSeconds": .int(request.expirationSeconds),
            "boundObjectRef": ["apiVersion": "v1", "kind": "Pod", "name": .string(request.podName), "uid": .string(request.podUID)],
        ]
        if !request.audience.isEmpty { spec["audiences"] = [.string(request.audience)] }
        let body: JSONValue = ["apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest", "spec": spec]
        var post = APIRequest(.POST, CoreV1.ServiceAccount.groupVersionResource)
            .namespace(request.namespace).name(request.serviceAccount).subresource("token").body(body)
        post.method = .POST
        let now = clock.now
        let answer = try await client.rest.send(post).json()
        guard let token = answer[path: "status", "token"]?.stringValue,
            let expiry = answer[path: "status", "expirationTimestamp"]?.stringValue.flatMap(Timestamp.init(rfc3339:))
        else { throw ClientError.decoding("the TokenRequest answer for \(request.namespace)/\(request.serviceAccount) has no token") }
        return IssuedToken(token: token, issuedAt: now, expiresAt: expiry)
    }

    func persistentVolumeClaim(namespace: String, name: String) async throws -> CoreV1.PersistentVolumeClaim? {
        try await typed(client.core.v1.persistentVolumeClaims(namespace), name: name)
    }

    func persistentVolume(name: String) async throws -> CoreV1.PersistentVolume? {
        try await typed(client.core.v1.persistentVolumes(), name: name)
    }

    private func typed<Object: Sendable>(_ objects: ResourceClient<Object>, name: String) async throws -> Object? {
        do {
            return try await objects.get(name)
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }

    private func object(_ resource: GroupVersionResource, namespace: String, name: String) async throws -> JSONValue? {
        do {
            return try await client.rest.send(APIRequest(.GET, resource).namespace(namespace).name(name)).json()
        } catch let error as APIError where error.isNotFound {
            return nil
        }
    }
}
