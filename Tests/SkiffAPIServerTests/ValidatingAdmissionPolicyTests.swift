import SkiffAPI
@testable import SkiffAPIServer
import SkiffRegistry
import Testing

/// The ValidatingAdmissionPolicy plugin through the router: matching, CEL evaluation (variables,
/// messages, match conditions), params, failure policy and validation actions, with upstream's
/// messages; and the evaluation of one policy on its own.
@Suite struct ValidatingAdmissionPolicyTests {
    static var options: APIServer.Options {
        var options = APIServer.Options()
        options.enabledAdmissionPlugins = ["NamespaceLifecycle", "ValidatingAdmissionPolicy"]
        return options
    }

    static let configMapRules: JSONValue = [
        "resourceRules": [["operations": ["CREATE", "UPDATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["configmaps"]]],
    ]

    static func policy(_ name: String, validations: JSONValue, constraints: JSONValue = configMapRules,
                       extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["matchConstraints": constraints, "validations": validations]
        for (key, value) in extra { spec[key] = value }
        return ["metadata": ["name": .string(name)], "spec": spec]
    }

    static func binding(_ name: String, policy: String, actions: JSONValue = ["Deny"], extra: [String: JSONValue] = [:]) -> JSONValue {
        var spec: JSONValue = ["policyName": .string(policy), "validationActions": actions]
        for (key, value) in extra { spec[key] = value }
        return ["metadata": ["name": .string(name)], "spec": spec]
    }

    /// Creates the objects (policies and bindings) and waits until the plugin's caches have them.
    static func configure(_ server: APIServerHarness, policies: [JSONValue] = [], bindings: [JSONValue] = []) async throws {
        var revision: Int64 = 0
        for (resource, objects) in [("validatingadmissionpolicies", policies), ("validatingadmissionpolicybindings", bindings)] {
            for object in objects {
                let created = try await server.send(.POST, "/apis/admissionregistration.k8s.io/v1/\(resource)", json: object)
                #expect(created.status == 201, "\(created.text)")
                revision = max(revision, try #require(Int64(try created.json().resourceVersion ?? "")))
            }
        }
        for resource in ["validatingadmissionpolicies", "validatingadmissionpolicybindings"] {
            let store = try #require(server.registry.store(for: GroupResource(group: "admissionregistration.k8s.io", resource: resource)))
            try await store.cache.waitUntilFresh(revision)
        }
    }

    static func createConfigMap(_ server: APIServerHarness, _ name: String, namespace: String = "default",
                                data: JSONValue = .emptyObject, labels: JSONValue = .emptyObject) async throws -> TestResponse {
        try await server.send(.POST, "/api/v1/namespaces/\(namespace)/configmaps",
                              json: ["metadata": ["name": .string(name), "labels": labels], "data": data])
    }

    // MARK: refusals and actions

    @Test func policiesWhoseExpressionsDoNotCompileAreRefusedAtCreate() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            let refused = try await server.send(.POST, "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies", json: Self.policy("broken", validations: [
                ["expression": "object.x =="], ["expression": "1 + 1"],
                ["expression": "object.x == 1", "messageExpression": "authorizer.path('/x').check('get')"],
                ["expression": "authorizer.requestResource.check('get').allowed()"],
            ]))
            #expect(refused.status == 422)
            let causes = try refused.json()[path: "details", "causes"]?.arrayValue ?? []
            #expect(causes.map { $0["field"]?.stringValue ?? "" }
                == ["spec.validations[0].expression", "spec.validations[1].expression", "spec.validations[2].messageExpression"])
            let messages = causes.map { $0["message"]?.stringValue ?? "" }
            #expect(messages.first?.hasPrefix(#"Invalid value: "object.x ==": compilation failed: ERROR: <input>:1:"#) == true)
            #expect(messages.dropFirst().first == #"Invalid value: "1 + 1": must evaluate to bool"#)
            #expect(messages.last == #"Invalid value: "authorizer.path('/x').check('get')": must evaluate to string"#)
        }
    }


    @Test func deniesWithUpstreamsMessageReasonAndCause() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            let rules: JSONValue = [
                "resourceRules": [["operations": ["CREATE", "UPDATE"], "apiGroups": ["apps"], "apiVersions": ["v1"], "resources": ["deployments"]]],
            ]
            try await Self.configure(server, policies: [
                Self.policy("demo-policy.example.com", validations: [["expression": "object.spec.replicas <= 5"]], constraints: rules),
            ], bindings: [Self.binding("demo-binding-test.example.com", policy: "demo-policy.example.com")])
            func deployment(_ replicas: Int64) -> JSONValue {
                ["metadata": ["name": "nginx"], "spec": [
                    "replicas": .int(replicas), "selector": ["matchLabels": ["app": "nginx"]],
                    "template": ["metadata": ["labels": ["app": "nginx"]], "spec": ["containers": [["name": "nginx", "image": "nginx"]]]],
                ]]
            }
            let refused = try await server.send(.POST, "/apis/apps/v1/namespaces/default/deployments", json: deployment(6))
            #expect(refused.status == 422)
            let status = try refused.json()
            let message = "ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5"
            #expect(status["reason"] == "Invalid")
            #expect(status["message"] == .string(#"deployments.apps "nginx" is forbidden: "# + message))
            #expect(status[path: "details", "kind"] == "deployments")
            #expect(status[path: "details", "group"] == "apps")
            #expect(status[path: "details", "causes"] == [["message": .string(message)]])
            let allowed = try await server.send(.POST, "/apis/apps/v1/namespaces/default/deployments", json: deployment(3))
            #expect(allowed.status == 201, "\(allowed.text)")
        }
    }

    @Test func warnAndAuditActionsLetTheRequestThroughAndReasonsSetTheCode() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.configure(server, policies: [
                Self.policy("no-secrets", validations: [
                    ["expression": "!has(object.data) || !('password' in object.data)", "message": "no passwords in config maps", "reason": "Forbidden"],
                ]),
            ], bindings: [
                Self.binding("warn", policy: "no-secrets", actions: ["Warn", "Audit"]),
            ])
            let warned = try await Self.createConfigMap(server, "warned", data: ["password": "x"])
            #expect(warned.status == 201, "\(warned.text)")
            #expect(warned.headers["Warning"] == [
                #"299 - "Validation failed for ValidatingAdmissionPolicy 'no-secrets' with binding 'warn': no passwords in config maps""#,
            ])
            try await Self.configure(server, bindings: [Self.binding("deny", policy: "no-secrets")])
            let refused = try await Self.createConfigMap(server, "refused", data: ["password": "x"])
            #expect(refused.status == 403)
            #expect(try refused.json()["reason"] == "Forbidden")
            #expect(try refused.json()["message"]
                    == #"configmaps "refused" is forbidden: ValidatingAdmissionPolicy 'no-secrets' with binding 'deny' denied request: no passwords in config maps"#)
        }
    }

    @Test func auditActionAndAuditAnnotationsGoToTheRequestsAuditEvent() async throws {
        let audit = RecordingAuditSink()
        var options = Self.options
        options.auditSink = audit
        options.auditPolicy = AuditPolicy(rules: [AuditPolicy.Rule(level: .metadata)], omitStages: [.requestReceived])
        try await APIServerHarness.with(.router, options: options) { server in
            try await Self.configure(server, policies: [
                Self.policy("no-secrets", validations: [
                    ["expression": "true"],
                    ["expression": "!has(object.data) || !('password' in object.data)", "message": "no passwords in config maps"],
                ], extra: ["auditAnnotations": [["key": "owner", "valueExpression": "'team-' + object.metadata.name"]]]),
            ], bindings: [Self.binding("audit", policy: "no-secrets", actions: ["Audit", "Warn"])])
            let created = try await Self.createConfigMap(server, "audited", data: ["password": "x"])
            #expect(created.status == 201, "\(created.text)")
            let event = try #require(audit.events.withLock { $0 }.last { $0.requestInfo.resource == "configmaps" })
            #expect(event.annotations["no-secrets/owner"] == "team-audited")
            #expect(event.annotations[ValidatingAdmissionPolicyPlugin.validationFailureKey]
                    == #"[{"message":"no passwords in config maps","policy":"no-secrets","binding":"audit","expressionIndex":1,"validationActions":["Audit","Warn"]}]"#)
        }
    }

    // MARK: matching

    @Test func matchConstraintsBindingResourcesAndConditionsNarrowWhatIsChecked() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": "checked", "labels": ["policy": "on"]]]).status == 201)
            #expect(try await server.send(.POST, "/api/v1/namespaces", json: ["metadata": ["name": "free"]]).status == 201)
            let constraints: JSONValue = [
                "resourceRules": [["operations": ["*"], "apiGroups": [""], "apiVersions": ["*"], "resources": ["configmaps"]]],
                "excludeResourceRules": [["operations": ["*"], "apiGroups": [""], "apiVersions": ["*"], "resources": ["configmaps"],
                                          "resourceNames": ["kube-root-ca.crt", "exempt"]]],
                "namespaceSelector": ["matchLabels": ["policy": "on"]],
            ]
            try await Self.configure(server, policies: [
                Self.policy("never", validations: [["expression": "false"]], constraints: constraints,
                            extra: ["matchConditions": [["name": "not-skipped", "expression": "!has(object.metadata.labels) || object.metadata.labels['skip'] != 'yes'"]]]),
            ], bindings: [
                Self.binding("only-labelled", policy: "never", extra: ["matchResources": ["objectSelector": ["matchLabels": ["checked": "yes"]]]]),
            ])
            #expect(try await Self.createConfigMap(server, "unlabelled", namespace: "checked").status == 201)
            #expect(try await Self.createConfigMap(server, "other-namespace", namespace: "free", labels: ["checked": "yes"]).status == 201)
            #expect(try await Self.createConfigMap(server, "exempt", namespace: "checked", labels: ["checked": "yes"]).status == 201)
            #expect(try await Self.createConfigMap(server, "skipped", namespace: "checked", labels: ["checked": "yes", "skip": "yes"]).status == 201)
            #expect(try await Self.createConfigMap(server, "checked", namespace: "checked", labels: ["checked": "yes"]).status == 422)
            // Secrets are not in the policy's rules.
            #expect(try await server.send(.POST, "/api/v1/namespaces/checked/secrets",
                                          json: ["metadata": ["name": "s", "labels": ["checked": "yes"]]]).status == 201)
        }
    }

    // MARK: params

    @Test func paramsFromConfigMapsAndParameterNotFoundAction() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            let paramKind: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap"]
            let rules: JSONValue = ["resourceRules": [["operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["secrets"]]]]
            try await Self.configure(server, policies: [
                Self.policy("max-keys", validations: [[
                    "expression": "size(object.data) <= int(params.data.maxKeys)",
                    "messageExpression": "'at most ' + params.data.maxKeys + ' keys in ' + namespaceObject.metadata.name",
                ]], constraints: rules, extra: ["paramKind": paramKind]),
            ], bindings: [
                Self.binding("by-name", policy: "max-keys", extra: [
                    "paramRef": ["name": "limits", "namespace": "default", "parameterNotFoundAction": "Deny"],
                ]),
            ])
            func secret(_ name: String, keys: Int) -> JSONValue {
                var data: JSONValue = .emptyObject
                for index in 0..<keys { data["k\(index)"] = "eA==" }
                return ["metadata": ["name": .string(name)], "data": data]
            }
            let missing = try await server.send(.POST, "/api/v1/namespaces/default/secrets", json: secret("a", keys: 1))
            #expect(missing.status == 422)
            #expect(try missing.json()["message"]
                    == #"secrets "a" is forbidden: ValidatingAdmissionPolicy 'max-keys' with binding 'by-name' denied request: failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction"#)

            let limits = try await Self.createConfigMap(server, "limits", data: ["maxKeys": "2"])
            #expect(limits.status == 201)
            let store = try #require(server.registry.store(for: GroupResource(group: "", resource: "configmaps")))
            try await store.cache.waitUntilFresh(try #require(Int64(try limits.json().resourceVersion ?? "")))
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/secrets", json: secret("b", keys: 2)).status == 201)
            let tooMany = try await server.send(.POST, "/api/v1/namespaces/default/secrets", json: secret("c", keys: 3))
            #expect(tooMany.status == 422)
            #expect(try tooMany.json()["message"]
                    == #"secrets "c" is forbidden: ValidatingAdmissionPolicy 'max-keys' with binding 'by-name' denied request: at most 2 keys in default"#)

            // A selector finding nothing with `Allow` checks nothing.
            try await Self.configure(server, bindings: [
                Self.binding("by-selector", policy: "max-keys", extra: [
                    "paramRef": ["selector": ["matchLabels": ["tier": "gold"]], "parameterNotFoundAction": "Allow"],
                ]),
            ])
            #expect(try await server.send(.DELETE, "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings/by-name").status == 200)
            let bindings = try #require(server.registry.store(for: GroupResource(group: "admissionregistration.k8s.io", resource: "validatingadmissionpolicybindings")))
            let deleted = try await server.send(.GET, "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicybindings")
            try await bindings.cache.waitUntilFresh(try #require(Int64(try deleted.json()[path: "metadata", "resourceVersion"]?.stringValue ?? "")))
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/secrets", json: secret("d", keys: 3)).status == 201)
        }
    }

    // MARK: failure policy

    @Test func failurePolicyDecidesAboutCompileAndRuntimeErrors() async throws {
        try await APIServerHarness.with(.router, options: Self.options) { server in
            try await Self.configure(server, policies: [
                Self.policy("broken", validations: [["expression": "object.data.missing == 'x'"]]),
                // (An expression that does not compile is refused at create; see the evaluation below.)
                Self.policy("ignored", validations: [["expression": "object.data.missing == 'x'"]], extra: ["failurePolicy": "Ignore"]),
            ], bindings: [
                Self.binding("ignored", policy: "ignored"),
            ])
            #expect(try await Self.createConfigMap(server, "ignored").status == 201)
            try await Self.configure(server, bindings: [Self.binding("broken", policy: "broken")])
            let failed = try await Self.createConfigMap(server, "failed", data: ["present": "y"])
            #expect(failed.status == 422)
            #expect(try failed.json()["message"]
                    == #"configmaps "failed" is forbidden: ValidatingAdmissionPolicy 'broken' with binding 'broken' denied request: expression 'object.data.missing == 'x'' resulted in error: no such key: missing"#)
        }
    }

    // MARK: evaluation

    /// A stored policy whose expression does not compile (written before the create check): an
    /// error with `Fail`, nothing with `Ignore`.
    @Test func compileErrorsFollowTheFailurePolicy() {
        for (failurePolicy, failures) in [("Fail", 1), ("Ignore", 0)] {
            let policy = AdmissionPolicy(Self.policy("broken", validations: [["expression": "1 +"]], extra: ["failurePolicy": .string(failurePolicy)]))
            var evaluation = PolicyEvaluation(policy: policy, object: .emptyObject, oldObject: nil, request: .emptyObject, params: nil,
                                              namespaceObject: nil, authorizer: .null)
            let decisions = evaluation.run().decisions
            #expect(decisions.count == failures)
            #expect(decisions.allSatisfy { $0.message.hasPrefix("compilation error: ERROR: <input>:1:4: Syntax error") })
        }
    }

    @Test func variablesAreEvaluatedWhenReadAndOnce() throws {
        let policy = AdmissionPolicy(Self.policy("vars", validations: [
            ["expression": "variables.replicas <= variables.limit", "messageExpression": "'too many: ' + string(variables.replicas)"],
            ["expression": "true || variables.broken"],
        ], extra: ["variables": [
            ["name": "replicas", "expression": "object.spec.replicas"],
            ["name": "limit", "expression": "variables.replicas > 100 ? 0 : 5"],
            ["name": "broken", "expression": "object.nothing"],
        ]]))
        var evaluation = PolicyEvaluation(policy: policy, object: ["spec": ["replicas": 7]], oldObject: nil, request: .emptyObject,
                                          params: nil, namespaceObject: nil, authorizer: .null)
        #expect(evaluation.run().decisions == [PolicyDecision(message: "too many: 7")])

        let failing = AdmissionPolicy(Self.policy("vars", validations: [["expression": "variables.broken == 1"]], extra: ["variables": [
            ["name": "broken", "expression": "object.nothing"],
        ]]))
        var failingEvaluation = PolicyEvaluation(policy: failing, object: .emptyObject, oldObject: nil, request: .emptyObject,
                                                 params: nil, namespaceObject: nil, authorizer: .null)
        #expect(failingEvaluation.run().decisions == [
            PolicyDecision(message: "expression 'variables.broken == 1' resulted in error: no such key: nothing"),
        ])
    }

    @Test func auditAnnotationsMustBeStringsOrNull() throws {
        let policy = AdmissionPolicy(Self.policy("audit", validations: [], extra: ["auditAnnotations": [
            ["key": "name", "valueExpression": "object.metadata.name"],
            ["key": "none", "valueExpression": "null"],
            ["key": "number", "valueExpression": "1"],
        ]]))
        var evaluation = PolicyEvaluation(policy: policy, object: ["metadata": ["name": "c"]], oldObject: nil, request: .emptyObject,
                                          params: nil, namespaceObject: nil, authorizer: .null)
        let outcome = evaluation.run()
        #expect(outcome.annotations == ["name": "c"])
        #expect(outcome.annotationErrors.map(\.message) == [
            "valueExpression '1' resulted in unsupported return type: int. Return type must be either string or null.",
        ])
    }
}
