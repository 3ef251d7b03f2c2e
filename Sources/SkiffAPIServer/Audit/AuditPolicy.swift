import Foundation
import Yams

/// An `audit.k8s.io/v1` `Policy` (`--audit-policy-file`): which requests the audit log records,
/// at what level and at which stages. The first rule that matches a request decides; a request
/// no rule matches is not recorded.
public struct AuditPolicy: Decodable, Sendable {
    public var kind: String?
    public var apiVersion: String?
    public var rules: [Rule]
    /// Stages no event is recorded at, whatever the rule.
    public var omitStages: [AuditStage]?
    /// Whether request and response objects are recorded without `metadata.managedFields`.
    public var omitManagedFields: Bool?

    /// One rule: a request matches when it matches every field set.
    public struct Rule: Decodable, Sendable {
        public var level: AuditLevel
        public var users: [String]?
        public var userGroups: [String]?
        public var verbs: [String]?
        public var resources: [GroupResources]?
        public var namespaces: [String]?
        public var nonResourceURLs: [String]?
        public var omitStages: [AuditStage]?
        public var omitManagedFields: Bool?

        public init(level: AuditLevel) {
            self.level = level
        }
    }

    /// Resources of one API group (`""` the core group): `pods`, `pods/log`, `*/status`,
    /// `pods/*`, `*`; optionally only the named objects.
    public struct GroupResources: Decodable, Sendable {
        public var group: String?
        public var resources: [String]?
        public var resourceNames: [String]?
    }

    public init(rules: [Rule], omitStages: [AuditStage]? = nil) {
        self.kind = "Policy"
        self.apiVersion = "audit.k8s.io/v1"
        self.rules = rules
        self.omitStages = omitStages
    }

    /// Reads and checks the file at `path` (YAML or JSON).
    public static func load(path: String) throws(AuditPolicyError) -> AuditPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AuditPolicyError("failed to read audit policy file \"\(path)\"")
        }
        let policy: AuditPolicy
        do {
            policy = try YAMLDecoder().decode(AuditPolicy.self, from: data)
        } catch {
            throw AuditPolicyError("failed decoding audit policy file \"\(path)\": \(error)")
        }
        let errors = policy.validationErrors()
        guard errors.isEmpty else { throw AuditPolicyError("invalid audit policy file \"\(path)\": " + errors.joined(separator: ", ")) }
        guard !policy.rules.isEmpty else { throw AuditPolicyError("loaded illegal policy with 0 rules from file \(path)") }
        return policy
    }

    /// What is wrong with the policy, in upstream's field-path style; empty when valid.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if kind != "Policy" || !["audit.k8s.io/v1", "audit.k8s.io/v1beta1"].contains(apiVersion ?? "") {
            errors.append("unexpected kind \(apiVersion ?? "")/\(kind ?? ""), expected audit.k8s.io/v1, Kind=Policy")
        }
        for (index, rule) in rules.enumerated() {
            let path = "rules[\(index)]"
            let resourceRule = !(rule.resources ?? []).isEmpty || !(rule.namespaces ?? []).isEmpty
            if resourceRule && !(rule.nonResourceURLs ?? []).isEmpty {
                errors.append("\(path).nonResourceURLs: Invalid value: \(rule.nonResourceURLs ?? []): rules cannot apply to both regular resources and non-resource URLs")
            }
            for (urlIndex, url) in (rule.nonResourceURLs ?? []).enumerated() where !url.hasPrefix("/") && url != "*" {
                errors.append("\(path).nonResourceURLs[\(urlIndex)]: Invalid value: \"\(url)\": non-resource URL rules must begin with a '/' character")
            }
            for (groupIndex, group) in (rule.resources ?? []).enumerated() {
                if let resourceGroup = group.group, resourceGroup.contains("/") {
                    errors.append("\(path).resources[\(groupIndex)].group: Invalid value: \"\(resourceGroup)\": group name must not contain '/'")
                }
                if !(group.resourceNames ?? []).isEmpty, (group.resources ?? []).isEmpty {
                    errors.append("\(path).resources[\(groupIndex)].resourceNames: Invalid value: \(group.resourceNames ?? []): using resourceNames requires at least one resource")
                }
            }
        }
        return errors
    }
}

/// How much of a request an audit event records.
public enum AuditLevel: String, Decodable, Sendable, Comparable, CaseIterable {
    /// Nothing: no event.
    case none = "None"
    /// The request's metadata (user, verb, resource, response code), no bodies.
    case metadata = "Metadata"
    /// The metadata and the request body.
    case request = "Request"
    /// The metadata, the request body and the response body.
    case requestResponse = "RequestResponse"

    public static func < (lhs: AuditLevel, rhs: AuditLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// When an audit event is recorded.
public enum AuditStage: String, Decodable, Sendable, CaseIterable {
    /// As soon as the request arrives, before it is handled.
    case requestReceived = "RequestReceived"
    /// Once the response headers are sent, before the body: long-running requests (watches) only.
    case responseStarted = "ResponseStarted"
    /// Once the response is complete.
    case responseComplete = "ResponseComplete"
    /// When handling the request failed unexpectedly.
    case panic = "Panic"
}

/// Why an audit policy file cannot be used; the server refuses to start with it.
public struct AuditPolicyError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) {
        self.description = description
    }
}
