import SkiffAPI
import SkiffAPIServer
import Testing

/// PodSecurity admission: enforce refuses, warn answers with a `Warning` header.
@Suite struct PodSecurityAdmissionTests {
    static func privilegedPod(_ name: String) -> JSONValue {
        ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": ["containers": [
            ["name": "app", "image": "nginx", "securityContext": ["privileged": true]],
        ]]]
    }

    static func namespace(_ name: String, labels: JSONValue, on server: APIServerHarness) async throws {
        #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": .string(name), "labels": labels]]).status == 201)
        #expect(try await server.send(.POST, "/api/v1/namespaces/\(name)/serviceaccounts", json: ["metadata": ["name": "default"]]).status == 201)
    }

    @Test func restrictedRefusesAndWarns() async throws {
        try await APIServerHarness.with(.router, options: BuiltinAdmissionTests.options) { server in
            try await Self.namespace("locked", labels: ["pod-security.kubernetes.io/enforce": "restricted"], on: server)
            let refused = try await server.send(.POST, "/api/v1/namespaces/locked/pods", json: Self.privilegedPod("root"))
            #expect(refused.status == 403)
            #expect(try refused.json()["message"] == .string(#"pods "root" is forbidden: violates PodSecurity "restricted:latest": "#
                + #"privileged (container "app" must not set securityContext.privileged=true), "#
                + #"allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), "#
                + #"unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), "#
                + #"runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), "#
                + #"seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")"#))

            let compliant: JSONValue = ["metadata": ["name": "tidy"], "spec": [
                "securityContext": ["runAsNonRoot": true, "seccompProfile": ["type": "RuntimeDefault"]],
                "containers": [["name": "app", "image": "nginx", "securityContext": [
                    "allowPrivilegeEscalation": false, "capabilities": ["drop": ["ALL"], "add": ["NET_BIND_SERVICE"]],
                ]]],
            ]]
            let allowed = try await server.send(.POST, "/api/v1/namespaces/locked/pods", json: compliant)
            #expect(allowed.status == 201, "\(allowed.text)")
            #expect(allowed.headers["Warning"].isEmpty)

            try await Self.namespace("watched", labels: ["pod-security.kubernetes.io/warn": "baseline", "pod-security.kubernetes.io/warn-version": "v1.30"],
                                     on: server)
            let warned = try await server.send(.POST, "/api/v1/namespaces/watched/pods", json: Self.privilegedPod("loud"))
            #expect(warned.status == 201)
            #expect(warned.headers["Warning"]
                    == [#"299 - "would violate PodSecurity \"baseline:v1.30\": privileged (container \"app\" must not set securityContext.privileged=true)""#])
        }
    }

    @Test func baselineChecksHostAccess() async throws {
        try await APIServerHarness.with(.router, options: BuiltinAdmissionTests.options) { server in
            try await Self.namespace("base", labels: ["pod-security.kubernetes.io/enforce": "baseline"], on: server)
            let pod: JSONValue = ["metadata": ["name": "host"], "spec": [
                "hostNetwork": true, "hostPID": true,
                "volumes": [["name": "root", "hostPath": ["path": "/"]]],
                "containers": [["name": "app", "image": "nginx", "ports": [["containerPort": 80, "hostPort": 8080]],
                                "securityContext": ["capabilities": ["add": ["NET_ADMIN", "CHOWN"]]]]],
            ]]
            let refused = try await server.send(.POST, "/api/v1/namespaces/base/pods", json: pod)
            #expect(refused.status == 403)
            #expect(try refused.json()["message"] == .string(#"pods "host" is forbidden: violates PodSecurity "baseline:latest": "#
                + #"host namespaces (hostNetwork, hostPID), hostPort (container "app" uses hostPort 8080), "#
                + #"non-default capabilities (container "app" must not include "NET_ADMIN" in securityContext.capabilities.add), "#
                + #"hostPath volumes (volume "root")"#))
        }
    }
}
