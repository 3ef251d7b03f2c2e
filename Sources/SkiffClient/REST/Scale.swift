import Foundation
import SkiffAPI

/// The replicas of a scalable resource (`autoscaling/v1 Scale`), read and written through its
/// `scale` subresource.
public struct Scale: Codable, Sendable, Equatable {
    public struct Spec: Codable, Sendable, Equatable {
        /// The desired replicas.
        public var replicas: Int32?

        public init(replicas: Int32? = nil) {
            self.replicas = replicas
        }
    }

    public struct Status: Codable, Sendable, Equatable {
        /// The observed replicas.
        public var replicas: Int32
        /// The label selector of the pods, in string form.
        public var selector: String?
    }

    public var apiVersion: String? = "autoscaling/v1"
    public var kind: String? = "Scale"
    public var metadata: ObjectMeta?
    public var spec: Spec?
    public var status: Status?
}

extension ResourceClient {
    /// The `Scale` of the object `name` (deployments, replica sets, stateful sets…).
    public func scale(_ name: String) async throws -> Scale {
        let response = try await rest.send(APIRequest(.GET, resource).namespace(namespace).name(name).subresource("scale"))
        return try Self.decodeScale(response)
    }

    /// Sets the replicas through the `scale` subresource; a `metadata.resourceVersion` in `scale`
    /// is a precondition.
    public func updateScale(_ name: String, _ scale: Scale, options: UpdateOptions = UpdateOptions()) async throws -> Scale {
        let body = Array(try JSONEncoder().encode(scale))
        let request = APIRequest(.PUT, resource).namespace(namespace).name(name).subresource("scale").options(options).body(body)
        return try Self.decodeScale(try await rest.send(request))
    }

    private static func decodeScale(_ response: APIResponse) throws -> Scale {
        do {
            return try JSONDecoder().decode(Scale.self, from: Data(response.body))
        } catch {
            throw ClientError(.decoding, "cannot decode a Scale", underlying: error)
        }
    }
}
