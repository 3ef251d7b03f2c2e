import SkiffAPI
import SkiffAPIServer
import SkiffRegistry
import Testing

/// The built-in admission plugins as a client sees them: ServiceAccount, LimitRanger, ResourceQuota.
@Suite struct BuiltinAdmissionTests {
    static var options: APIServer.Options {
        var options = APIServer.Options()
        options.enabledAdmissionPlugins = AdmissionPluginSet.enabledByDefault
        return options
    }

    static func pod(_ name: String, serviceAccount: String? = nil, resources: JSONValue? = nil) -> JSONValue {
        var container: JSONValue = ["name": "app", "image": "nginx"]
        container["resources"] = resources
        var pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": ["containers": [container]]]
        if let serviceAccount { pod[path: "spec", "serviceAccountName"] = .string(serviceAccount) }
        return pod
    }

    /// A namespace with its `default` service account (the service account controller's work).
    static func namespace(_ name: String, on server: APIServerHarness) async throws {
        #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": .string(name)]]).status == 201)
        let account = try await server.send(.POST, "/api/v1/namespaces/\(name)/serviceaccounts", json: ["metadata": ["name": "default"]])
        #expect(account.status == 201)
    }

    @Test func serviceAccountDefaultedAndRequired() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.namespace("team", on: server)
            let created = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("plain"))
            #expect(created.status == 201, "\(created.text)")
            #expect(try created.json()[path: "spec", "serviceAccountName"] == "default")

            let refused = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("robotic", serviceAccount: "robot"))
            #expect(refused.status == 403)
            let status = try refused.json()
            #expect(status["reason"] == "Forbidden")
            #expect(status["message"] == #"pods "robotic" is forbidden: error looking up service account team/robot: serviceaccount "robot" not found"#)
        }
    }

    @Test func podsGetTheServiceAccountTokenVolumeUnlessTheyOptOut() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.namespace("team", on: server)
            var pod = Self.pod("mounted")
            pod[path: "spec", "initContainers"] = [["name": "setup", "image": "busybox"]]
            let created = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: pod).json()
            let volumes = created[path: "spec", "volumes"]?.arrayValue ?? []
            #expect(volumes.count == 1)
            let name = volumes.first?["name"]?.stringValue ?? ""
            #expect(name.hasPrefix("kube-api-access-") && name.count == "kube-api-access-".count + 5)
            #expect(volumes.first?["projected"] == [
                "sources": [
                    ["serviceAccountToken": ["expirationSeconds": 3607, "path": "token"]],
                    ["configMap": ["name": "kube-root-ca.crt", "items": [["key": "ca.crt", "path": "ca.crt"]]]],
                    ["downwardAPI": ["items": [["path": "namespace", "fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]]]],
                ],
                "defaultMode": 420,
            ])
            let mount: JSONValue = ["name": .string(name), "readOnly": true, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"]
            #expect(created[path: "spec", "containers"]?.arrayValue?.first?["volumeMounts"] == [mount])
            #expect(created[path: "spec", "initContainers"]?.arrayValue?.first?["volumeMounts"] == [mount])

            var optedOut = Self.pod("opted-out")
            optedOut[path: "spec", "automountServiceAccountToken"] = false
            let plain = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: optedOut).json()
            #expect(plain[path: "spec", "volumes"] == nil)
            #expect(plain[path: "spec", "containers"]?.arrayValue?.first?["volumeMounts"] == nil)

            var own = Self.pod("own-mount")
            own[path: "spec", "volumes"] = [["name": "mine", "emptyDir": [:]]]
            own[path: "spec", "containers"] = [["name": "app", "image": "nginx", "volumeMounts": [
                ["name": "mine", "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"]]]]
            let kept = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: own).json()
            #expect(kept[path: "spec", "volumes"]?.arrayValue?.map { $0["name"] } == ["mine"])

            let robot: JSONValue = ["metadata": ["name": "robot"], "automountServiceAccountToken": false]
            #expect(try await server.send(.POST, "/api/v1/namespaces/team/serviceaccounts", json: robot).status == 201)
            let quiet = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("quiet", serviceAccount: "robot")).json()
            #expect(quiet[path: "spec", "volumes"] == nil)
        }
    }

    @Test func limitRangeDefaultsAndBounds() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.namespace("team", on: server)
            let range: JSONValue = ["metadata": ["name": "limits"], "spec": ["limits": [[
                "type": "Container", "default": ["cpu": "500m", "memory": "256Mi"], "defaultRequest": ["cpu": "100m"], "max": ["cpu": "1"],
            ]]]]
            let stored = try await server.send(.POST, "/api/v1/namespaces/team/limitranges", json: range)
            #expect(stored.status == 201)
            // Upstream's LimitRange defaults: the default request of memory is its default limit.
            #expect(try stored.json()[path: "spec", "limits"]?.arrayValue?.first?["defaultRequest"] == ["cpu": "100m", "memory": "256Mi"])

            let created = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("plain"))
            #expect(created.status == 201, "\(created.text)")
            let pod = try created.json()
            let resources = pod[path: "spec", "containers"]?.arrayValue?.first?["resources"]
            #expect(resources == ["requests": ["cpu": "100m", "memory": "256Mi"], "limits": ["cpu": "500m", "memory": "256Mi"]])
            #expect(pod.annotations["kubernetes.io/limit-ranger"]
                    == "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app")

            let big = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("big", resources: ["limits": ["cpu": "2"]]))
            #expect(big.status == 403)
            #expect(try big.json()["message"] == #"pods "big" is forbidden: maximum cpu usage per Container is 1, but limit is 2"#)
        }
    }

    @Test func limitRangeRatiosAndPodMinimums() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.namespace("team", on: server)
            let range: JSONValue = ["metadata": ["name": "limits"], "spec": ["limits": [
                ["type": "Container", "maxLimitRequestRatio": ["cpu": "2"]],
                ["type": "Pod", "min": ["memory": "64Mi"]],
            ]]]
            #expect(try await server.send(.POST, "/api/v1/namespaces/team/limitranges", json: range).status == 201)
            let pod = Self.pod("ratio", resources: ["requests": ["cpu": "100m"], "limits": ["cpu": "400m"]])
            let refused = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: pod)
            #expect(refused.status == 403)
            #expect(try refused.json()["message"] == .string(#"pods "ratio" is forbidden: [cpu max limit to request ratio per Container is 2, "#
                + #"but provided ratio is 4.000000, minimum memory usage per Pod is 64Mi.  No request is specified]"#))
        }
    }

    @Test func quotaChargesAndRefuses() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.namespace("team", on: server)
            let hard: JSONValue = ["pods": "2", "requests.cpu": "1"]
            let quota = try await server.send(.POST, "/api/v1/namespaces/team/resourcequotas", json: ["metadata": ["name": "compute"], "spec": ["hard": hard]])
            #expect(quota.status == 201)
            // The quota controller's part: the status names the limits and the usage so far.
            var withStatus = try quota.json()
            withStatus["status"] = ["hard": hard, "used": ["pods": "0", "requests.cpu": "0"]]
            let written = try await server.send(.PUT, "/api/v1/namespaces/team/resourcequotas/compute/status", json: withStatus)
            #expect(written.status == 200)
            // Reading at the write's version waits until the cache admission reads has it.
            let version = try written.json().resourceVersion ?? ""
            #expect(try await server.send(.GET, "/api/v1/namespaces/team/resourcequotas?resourceVersion=\(version)").status == 200)

            let unstated = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("unstated"))
            #expect(unstated.status == 403)
            #expect(try unstated.json()["message"] == #"pods "unstated" is forbidden: failed quota: compute: must specify requests.cpu for: app"#)

            let dry = try await server.send(.POST, "/api/v1/namespaces/team/pods?dryRun=All",
                                            json: Self.pod("dry", resources: ["requests": ["cpu": "500m"]]))
            #expect(dry.status == 201)
            let first = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("first", resources: ["requests": ["cpu": "500m"]]))
            #expect(first.status == 201, "\(first.text)")
            let charged = try await server.send(.GET, "/api/v1/namespaces/team/resourcequotas/compute").json()
            #expect(charged[path: "status", "used"] == ["pods": "1", "requests.cpu": "500m"])

            let second = try await server.send(.POST, "/api/v1/namespaces/team/pods", json: Self.pod("second", resources: ["requests": ["cpu": "600m"]]))
            #expect(second.status == 403)
            #expect(try second.json()["message"]
                    == #"pods "second" is forbidden: exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1"#)
            // Objects the quota does not limit are not charged.
            let configMap = try await server.send(.POST, "/api/v1/namespaces/team/configmaps", json: ["metadata": ["name": "free"]])
            #expect(configMap.status == 201)
        }
    }

    @Test func unknownPluginNamesAreRefused() throws {
        #expect(throws: AdmissionPluginSelectionError.self) { try AdmissionPluginSet.selection(enable: ["AlwaysPullImages"], disable: []) }
        let selected = try AdmissionPluginSet.selection(enable: [], disable: ["ResourceQuota"])
        #expect(selected == [
            "NamespaceLifecycle", "PodSecurity", "LimitRanger", "ServiceAccount", "Priority", "DefaultStorageClass", "MutatingAdmissionWebhook",
            "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook",
        ])
    }
}
