import Foundation
import NIOHTTP1
import SkiffAPI
@testable import SkiffAPIServer
import SkiffStorage
import SkiffTesting
import Testing

@Suite struct AuditPolicyTests {
    static func policy(_ yaml: String) throws -> AuditPolicy {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("policy-\(UUID().uuidString).yaml").path
        try ("apiVersion: audit.k8s.io/v1\nkind: Policy\n" + yaml).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try AuditPolicy.load(path: path)
    }

    static func info(_ verb: String, _ resource: String, subresource: String = "", namespace: String = "default", name: String = "",
                     group: String = "") -> RequestInfo {
        RequestInfo.resource(verb, resource, group: group, namespace: namespace, subresource: subresource, name: name)
    }

    static let jane = UserInfo(name: "jane", groups: ["dev", "system:authenticated"])

    @Test func firstMatchingRuleDecides() throws {
        let policy = try Self.policy("""
            omitStages: [RequestReceived]
            rules:
              - level: None
                users: [system:kube-proxy]
                verbs: [watch]
              - level: RequestResponse
                resources: [{group: "", resources: ["pods/log", "*/status"]}]
              - level: Request
                userGroups: [dev]
                resources: [{group: apps, resources: ["deployments/*"]}]
              - level: Metadata
                resources: [{group: "", resources: [secrets], resourceNames: [token]}]
                namespaces: [kube-system]
                omitStages: [ResponseComplete]
              - level: None
                nonResourceURLs: ["/healthz*", /version]
              - level: Metadata
                nonResourceURLs: ["*"]
            """)
        let proxy = UserInfo(name: "system:kube-proxy")
        #expect(policy.decision(user: proxy, requestInfo: Self.info("watch", "endpoints")).level == .none)
        #expect(policy.decision(user: proxy, requestInfo: Self.info("list", "endpoints")).level == .none)
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("get", "pods", subresource: "log")).level == .requestResponse)
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("update", "nodes", subresource: "status")).level == .requestResponse)
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("get", "pods")).level == .none)
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("patch", "deployments", group: "apps")).level == .request)
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("get", "deployments", subresource: "scale", group: "apps")).level == .request)
        #expect(policy.decision(user: proxy, requestInfo: Self.info("get", "deployments", group: "apps")).level == .none)
        let token = policy.decision(user: Self.jane, requestInfo: Self.info("get", "secrets", namespace: "kube-system", name: "token"))
        #expect(token == AuditDecision(level: .metadata, omitStages: [.requestReceived, .responseComplete], omitManagedFields: false))
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("get", "secrets", namespace: "default", name: "token")).level == .none)
        #expect(policy.decision(user: Self.jane, requestInfo: Self.info("get", "secrets", namespace: "kube-system", name: "other")).level == .none)
        #expect(policy.decision(user: Self.jane, requestInfo: RequestInfo(path: "/healthz/etcd", verb: "get")).level == .none)
        #expect(policy.decision(user: Self.jane, requestInfo: RequestInfo(path: "/version", verb: "get")).level == .none)
        #expect(policy.decision(user: Self.jane, requestInfo: RequestInfo(path: "/openapi/v2", verb: "get")).level == .metadata)
    }

    @Test func badPoliciesRefused() {
        #expect(throws: AuditPolicyError.self) { try Self.policy("rules: []\n") }
        #expect(throws: AuditPolicyError.self) { try Self.policy("rules:\n  - level: Everything\n") }
        #expect(throws: AuditPolicyError.self) {
            try Self.policy("rules:\n  - level: Metadata\n    namespaces: [default]\n    nonResourceURLs: [/version]\n")
        }
        #expect(throws: AuditPolicyError.self) { try AuditPolicy.load(path: "/nonexistent/policy.yaml") }
    }
}

@Suite struct AuditEventTests {
    @Test func encodedAsUpstreamsEventInItsFieldOrder() throws {
        var info = AuditPolicyTests.info("create", "configmaps")
        info.apiVersion = "v1"
        var event = AuditEvent(
            level: .request, auditID: "2b2a9e5e-0000-4000-8000-000000000001", stage: .responseComplete,
            requestURI: "/api/v1/namespaces/default/configmaps?fieldManager=kubectl-client-side-apply", verb: "create",
            user: AuditPolicyTests.jane, sourceIPs: ["127.0.0.1"], userAgent: "kubectl/v1.32.0", requestInfo: info,
            requestReceivedTimestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789),
            stageTimestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 200_000_000))
        event.responseCode = 201
        event.requestObject = ["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["name": "settings"]]
        event.annotations = ["authorization.k8s.io/decision": "allow", "authorization.k8s.io/reason": ""]
        let line = String(decoding: event.jsonLine(), as: UTF8.self)
        #expect(line == #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"2b2a9e5e-0000-4000-8000-000000000001","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/default/configmaps?fieldManager=kubectl-client-side-apply","verb":"create","user":{"username":"jane","groups":["dev","system:authenticated"]},"sourceIPs":["127.0.0.1"],"userAgent":"kubectl/v1.32.0","objectRef":{"resource":"configmaps","namespace":"default","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":201},"requestObject":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"settings"}},"requestReceivedTimestamp":"2023-11-14T22:13:20.123456Z","stageTimestamp":"2023-11-14T22:13:20.200000Z","annotations":{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":""}}"# + "\n")
    }

    @Test func legacyLineAsUpstreams() {
        var event = AuditEvent(
            level: .metadata, auditID: "id-1", stage: .responseComplete, requestURI: "/api/v1/namespaces/default/pods?limit=500", verb: "list",
            user: AuditPolicyTests.jane, sourceIPs: ["10.0.0.1", "127.0.0.1"], userAgent: "kubectl/v1.32.0",
            requestInfo: AuditPolicyTests.info("list", "pods"),
            requestReceivedTimestamp: Timestamp(seconds: 1_700_000_000, nanoseconds: 120_000_000), stageTimestamp: Timestamp(seconds: 1_700_000_000))
        event.responseCode = 200
        #expect(String(decoding: event.legacyLine(), as: UTF8.self) == #"2023-11-14T22:13:20.12Z AUDIT: id="id-1" stage="ResponseComplete" ip="10.0.0.1" method="list" user="jane" groups="\"dev\",\"system:authenticated\"" as="<self>" asgroups="<lookup>" user-agent="kubectl/v1.32.0" namespace="default" uri="/api/v1/namespaces/default/pods?limit=500" response="200""# + "\n")
        event.responseCode = nil
        event.stage = .requestReceived
        event.requestReceivedTimestamp = Timestamp(seconds: 1_700_000_000)
        #expect(String(decoding: event.legacyLine(), as: UTF8.self).hasPrefix("2023-11-14T22:13:20Z AUDIT: id=\"id-1\" stage=\"RequestReceived\""))
        #expect(String(decoding: event.legacyLine(), as: UTF8.self).hasSuffix(" response=\"<deferred>\"\n"))
    }

    @Test func failureStatusRecorded() throws {
        var event = AuditEvent(
            level: .metadata, auditID: "id", stage: .responseComplete, requestURI: "/api/v1/namespaces/default/pods/web", verb: "get",
            user: UserInfo(name: "jane"), sourceIPs: [], requestInfo: AuditPolicyTests.info("get", "pods", name: "web"),
            requestReceivedTimestamp: Timestamp(seconds: 0), stageTimestamp: Timestamp(seconds: 0))
        event.responseCode = 404
        event.responseStatus = ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": "pods \"web\" not found",
                                "reason": "NotFound", "details": ["name": "web", "kind": "pods"], "code": 404]
        let line = String(decoding: event.jsonLine(), as: UTF8.self)
        #expect(line.contains(#""responseStatus":{"metadata":{},"status":"Failure","message":"pods \"web\" not found","reason":"NotFound","details":{"name":"web","kind":"pods"},"code":404}"#))
    }
}

@Suite struct RotatingLogFileTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func backupsNamedAsLumberjack() {
        let file = RotatingLogFile(path: "/var/log/audit.log", limits: .init(), clock: ManualClock())
        #expect(file.backupPath(at: Timestamp(seconds: 1_796_580_245, nanoseconds: 123_456_789)) == "/var/log/audit-2026-12-06T18-04-05.123.log")
    }

    @Test func rotatesPastMaxSizeAndKeepsMaxBackups() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = ManualClock()
        var limits = RotatingLogFile.Limits(maxBackups: 2)
        limits.maxSize = 10
        let file = RotatingLogFile(path: directory + "/audit.log", limits: limits, clock: clock)
        for line in ["aaaa\n", "bbbb\n", "cccc\n", "dddd\n", "eeee\n", "ffff\n", "gggg\n"] {
            try file.write(Array(line.utf8))
            clock.advance(by: .milliseconds(1500))
        }
        file.close()
        #expect(try String(contentsOfFile: directory + "/audit.log", encoding: .utf8) == "gggg\n")
        let backups = file.backups()
        #expect(backups.count == 2)
        #expect(try backups.map { try String(contentsOfFile: $0.path, encoding: .utf8) } == ["eeee\nffff\n", "cccc\ndddd\n"])
        #expect(backups.first?.path.hasPrefix(directory + "/audit-2023-11-14T22-13-") == true)
    }
}

@Suite struct AuditFilterTests {
    @Test(arguments: Transport.allCases)
    func recordsStagesAndLevelsAsThePolicySays(_ transport: Transport) async throws {
        let audit = RecordingAuditSink()
        var options = APIServer.Options()
        options.auditSink = audit
        options.auditPolicy = try AuditPolicyTests.policy("""
            rules:
              - level: RequestResponse
                resources: [{group: "", resources: [configmaps]}]
                omitManagedFields: true
              - level: None
            """)
        try await APIServerHarness.with(transport, options: options) { server async throws in
            let configMap: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "audited"], "data": ["a": "b"]]
            let created = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: configMap,
                                                headers: ["Audit-ID": "my-audit-id", "User-Agent": "audit-test"])
            #expect(created.status == 201)
            #expect(created.headers.first(name: "Audit-Id") == "my-audit-id")
            let listed = try await server.send(.GET, "/api/v1/namespaces/default/secrets")
            #expect(listed.status == 200)
            #expect(listed.headers.first(name: "Audit-Id")?.isEmpty == false)
            let events = audit.events.withLock { $0 }
            #expect(events.map(\.stage) == [.requestReceived, .responseComplete])
            #expect(events.allSatisfy { $0.auditID == "my-audit-id" && $0.level == .requestResponse && $0.verb == "create" })
            let complete = try #require(events.last)
            #expect(complete.responseCode == 201)
            #expect(complete.userAgent == "audit-test")
            #expect(complete.requestObject?[path: "metadata", "name"] == "audited")
            #expect(complete.responseObject?[path: "metadata", "name"] == "audited")
            #expect(complete.responseObject?[path: "metadata", "managedFields"] == nil)
            #expect(complete.annotations["authorization.k8s.io/decision"] == "allow")
            #expect(events.first?.responseCode == nil)
        }
    }

    /// Storage whose create of the ConfigMap `default/broken` fails with an error that is not a Status.
    final class BrokenCreateStorage: ForwardingStorage {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "the disk is on fire" }
        }

        let base: any Storage = MemoryStorage()

        func create(_ key: String, value: [UInt8]) async throws -> KeyValue {
            if key.hasSuffix("/configmaps/default/broken") { throw Failure() }
            return try await base.create(key, value: value)
        }
    }

    @Test func unexpectedErrorsAnswer500AndCompleteTheirEvent() async throws {
        let audit = RecordingAuditSink()
        var options = APIServer.Options()
        options.auditSink = audit
        options.auditPolicy = try AuditPolicyTests.policy("rules: [{level: Metadata, resources: [{group: \"\", resources: [configmaps]}]}, {level: None}]")
        try await APIServerHarness.with(.router, storage: BrokenCreateStorage(), options: options) { server async throws in
            let failed = try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "broken"]])
            // Upstream's answer to an error that is not a Status: 500, no reason, the error's text.
            #expect(failed.status == 500)
            let status = try failed.json()
            #expect(status == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure", "message": "the disk is on fire", "code": 500])
            let events = audit.events.withLock { $0 }
            #expect(events.map(\.stage) == [.requestReceived, .responseComplete])
            #expect(events.last?.responseCode == 500)
            #expect(events.last?.responseStatus?["message"] == "the disk is on fire")
            // The server goes on serving.
            #expect(try await server.send(.POST, "/api/v1/namespaces/default/configmaps", json: ["metadata": ["name": "fine"]]).status == 201)
        }
    }
}
