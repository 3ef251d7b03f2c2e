import Logging
import SkiffAPI
import SkiffRegistry

/// How extension servers authenticate the API server's requests, published as upstream's
/// cluster authentication trust controller does: the ConfigMap
/// `kube-system/extension-apiserver-authentication` with `client-ca-file`,
/// `requestheader-client-ca-file` (the front-proxy CA), and the header names and allowed common
/// names as JSON lists. Extension servers read it to trust the front-proxy headers.
public struct ExtensionAuthentication: Sendable, Equatable {
    /// The CAs of the API server's clients (PEM).
    public var clientCAPEM: String
    /// The CA of the front-proxy client certificate (PEM).
    public var requestHeaderCAPEM: String
    /// The common names a front-proxy certificate may carry; empty: any.
    public var allowedNames: [String]
    public var usernameHeaders: [String] = [FrontProxyHeaders.user]
    public var groupHeaders: [String] = [FrontProxyHeaders.group]
    public var extraHeaderPrefixes: [String] = [FrontProxyHeaders.extraPrefix]

    public static let namespace = "kube-system"
    public static let configMapName = "extension-apiserver-authentication"

    public init(clientCAPEM: String, requestHeaderCAPEM: String, allowedNames: [String]) {
        self.clientCAPEM = clientCAPEM
        self.requestHeaderCAPEM = requestHeaderCAPEM
        self.allowedNames = allowedNames
    }

    /// The ConfigMap's `data`.
    var configMapData: JSONValue {
        func list(_ values: [String]) -> JSONValue { .string(JSONValue.array(values.map(JSONValue.string)).serializedString()) }
        return [
            "client-ca-file": .string(clientCAPEM), "requestheader-client-ca-file": .string(requestHeaderCAPEM),
            "requestheader-allowed-names": list(allowedNames), "requestheader-username-headers": list(usernameHeaders),
            "requestheader-group-headers": list(groupHeaders), "requestheader-extra-headers-prefix": list(extraHeaderPrefixes),
        ]
    }

    /// Creates the ConfigMap, or sets its data to this when it differs.
    func publish(in registry: Registry) async throws {
        guard let store = registry.store(for: GroupResource(group: "", resource: "configmaps")) else { return }
        let data = configMapData
        if (try? await store.get(namespace: Self.namespace, name: Self.configMapName)) == nil {
            do {
                _ = try await store.create(namespace: Self.namespace, object: [
                    "metadata": ["name": .string(Self.configMapName), "namespace": .string(Self.namespace)], "data": data,
                ])
                return
            } catch let error as APIError where error.reason == .alreadyExists {
                // Another server published it at the same time: set the data below.
            }
        }
        _ = try await store.guaranteedUpdate(namespace: Self.namespace, name: Self.configMapName, precondition: nil,
                                             options: WriteOptions(), subresource: nil) { current in
            guard current["data"] != data else { return current }
            var updated = current
            updated["data"] = data
            return updated
        }
    }
}
