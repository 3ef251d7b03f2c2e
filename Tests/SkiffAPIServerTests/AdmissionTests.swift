import NIOHTTP1
import SkiffAPI
import SkiffAPIServer
import SkiffRegistry
import Testing

@Suite struct AdmissionTests {
    private static func configMap(_ name: String, labels: [String: String] = [:]) -> JSONValue {
        var object: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": .string(name)], "data": ["a": "b"]]
        object.labels = labels
        return object
    }

    @Test(arguments: Transport.allCases)
    func namespaceLifecycle(_ transport: Transport) async throws {
        try await APIServerHarness.with(transport) { server in
            let missing = try await server.send(.POST, "/api/v1/namespaces/nowhere/configmaps", json: Self.configMap("c"))
            #expect(missing.status == 404)
            #expect(try missing.json()["message"] == #"namespaces "nowhere" not found"#)
            #expect(try missing.json()[path: "details", "kind"] == "namespaces")

            #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": "ending"], "spec": ["finalizers": ["example.com/hold"]]]).status == 201)
            #expect(try await server.send(.POST, "/api/v1/namespaces/ending/configmaps", json: Self.configMap("early")).status == 201)
            #expect(try await server.send(.DELETE, "/api/v1/namespaces/ending").status == 200)
            let late = try await server.send(.POST, "/api/v1/namespaces/ending/configmaps", json: Self.configMap("late"))
            #expect(late.status == 403)
            let status = try late.json()
            #expect(status["reason"] == "Forbidden")
            #expect(status["message"] == #"configmaps "late" is forbidden: unable to create new content in namespace ending because it is being terminated"#)
            #expect(status[path: "details", "causes"] == [["reason": "NamespaceTerminating", "message": "namespace ending is being terminated", "field": "metadata.namespace"]])
            // Updates and deletes in a terminating namespace go on.
            var early = try await server.send(.GET, "/api/v1/namespaces/ending/configmaps/early").json()
            early["data"] = ["a": "c"]
            let put = try await server.send(.PUT, "/api/v1/namespaces/ending/configmaps/early", json: early)
            #expect(put.status == 200, "\(put.text)")
            #expect(try await server.send(.DELETE, "/api/v1/namespaces/ending/configmaps/early").status == 200)

            for name in ["default", "kube-system", "kube-public"] {
                let refused = try await server.send(.DELETE, "/api/v1/namespaces/\(name)")
                #expect(refused.status == 403)
                #expect(try refused.json()["message"] == .string("namespaces \"\(name)\" is forbidden: this namespace may not be deleted"))
            }
            #expect(try await server.send(.DELETE, "/api/v1/namespaces/kube-node-lease").status == 200)
        }
    }

    @Test(arguments: Transport.allCases)
    func mutatingThenValidatingPlugins(_ transport: Transport) async throws {
        let labelling = LabellingPlugin()
        let denying = DenyingPlugin()
        var options = APIServer.Options()
        options.authenticator = FixedAuthenticator(user: UserInfo(name: "jane", uid: "42", groups: ["devs"]))
        options.admissionPlugins = { _ in AdmissionChain(mutating: [labelling], validating: [denying]) }
        try await APIServerHarness.with(transport, options: options) { server in
            let created = try await server.send(.POST, "/api/v1/namespaces/default/configmaps?dryRun=All", json: Self.configMap("dry")).json()
            #expect(created.labels["admitted-by"] == "jane")
            let mutated = try #require(labelling.seen.withLock { $0.last })
            #expect(mutated.operation == .create && mutated.userInfo.uid == "42" && mutated.dryRun)
            #expect(mutated.kind == GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"))
            #expect(mutated.resource == GroupVersionResource(group: "", version: "v1", resource: "configmaps"))
            #expect(mutated.namespace == "default" && mutated.name == "dry" && mutated.oldObject == nil)
            #expect(mutated.options?["kind"] == "CreateOptions")

            // Validating plugins see the object as stored: mutated, defaulted, with its system metadata.
            _ = try await server.send(.POST, "/api/v1/namespaces/default/services",
                                      json: ["metadata": ["name": "web"], "spec": ["ports": [["port": 80]]]])
            let validated = try #require(denying.seen.withLock { $0.last })
            #expect(validated.object?[path: "spec", "type"] == "ClusterIP")
            #expect(validated.object?[path: "spec", "clusterIP"]?.stringValue?.hasPrefix("10.") == true)
            #expect(validated.object?.uid != nil)
            #expect(validated.object?.labels["admitted-by"] == "jane")

            let refused = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.configMap("no", labels: ["deny": "yes"]))
            #expect(refused.status == 403)
            #expect(try refused.json()["message"] == #"configmaps "no" is forbidden: objects labelled deny=yes are not welcome"#)
            let invalid = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.configMap("bad", labels: ["deny": "invalid"]))
            #expect(invalid.status == 422)
            #expect(try invalid.json()[path: "details", "causes"]?.arrayValue?.first?["field"] == "metadata.labels")
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/configmaps/no").status == 404)

            // Updates: the plugins see the old object too; a refused update changes nothing.
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: Self.configMap("kept")).status == 201)
            var kept = try await server.send(.GET, "/api/v1/namespaces/default/configmaps/kept").json()
            kept.labels = ["deny": "yes"]
            #expect(try await server.send(.PUT, "/api/v1/namespaces/default/configmaps/kept", json: kept).status == 403)
            let update = try #require(denying.seen.withLock { $0.last })
            #expect(update.operation == .update && update.oldObject?.labels["admitted-by"] == "jane")
            #expect(try await server.send(.GET, "/api/v1/namespaces/default/configmaps/kept").json().labels == ["admitted-by": "jane"])
            // Deletes reach validating plugins with the stored object.
            #expect(try await server.send(.DELETE, "/api/v1/namespaces/default/configmaps/kept").status == 200)
            let delete = try #require(denying.seen.withLock { $0.last })
            #expect(delete.operation == .delete && delete.object == nil && delete.oldObject?.name == "kept")
        }
    }
}
