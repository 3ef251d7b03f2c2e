/// One authorization check an expression asks for through the `authorizer` variable (upstream's
/// authz library, `k8s.io/apiserver/pkg/cel/library/authz.go`): a path, or a resource of a group,
/// with a verb, as the requesting user or as a service account.
public struct CELAuthorizationCheck: Hashable, Sendable {
    /// A service account to check as instead of the requesting user (`serviceAccount(ns, name)`).
    public struct ServiceAccount: Hashable, Sendable {
        public var namespace: String
        public var name: String
    }

    public var serviceAccount: ServiceAccount?
    /// The non-resource path of a `path(...)` check; nil for resource checks.
    public var path: String?
    public var group = ""
    public var resource = ""
    public var subresource = ""
    public var namespace = ""
    public var name = ""
    public var verb = ""

    /// A resource check of `group`/`resource` (empty `verb` until `check(verb)` sets it).
    public init(group: String, resource: String, subresource: String = "", namespace: String = "", name: String = "") {
        self.group = group
        self.resource = resource
        self.subresource = subresource
        self.namespace = namespace
        self.name = name
    }

    /// A path check.
    init(path: String) {
        self.path = path
    }

    /// The check as one string, the key of the decisions an authorizer value carries.
    var key: String {
        let account = serviceAccount.map { [$0.namespace, $0.name] } ?? ["", ""]
        let target = path.map { ["path", $0] } ?? ["resource", group, resource, subresource, namespace, name]
        return (account + target + [verb]).joined(separator: "\u{0}")
    }
}

/// The answer to one check, as the expression's `Decision` shows it.
public struct CELAuthorizationDecision: Sendable, Equatable {
    public var allowed: Bool
    public var reason: String
    /// The authorizer's error; empty when none.
    public var error: String

    public init(allowed: Bool, reason: String, error: String = "") {
        self.allowed = allowed
        self.reason = reason
        self.error = error
    }
}

/// The `authorizer` variable of admission policy expressions. CEL evaluates synchronously while
/// authorizers answer asynchronously, so the value carries the decisions known so far: a check
/// whose decision is not among them fails with a `.authorizationPending` error naming it, and the
/// caller authorizes the pending checks and evaluates again with them added.
public enum CELAuthorizer {
    static let authorizerTypeName = "kubernetes.authorization.Authorizer"
    static let pathCheckTypeName = "kubernetes.authorization.PathCheck"
    static let groupCheckTypeName = "kubernetes.authorization.GroupCheck"
    static let resourceCheckTypeName = "kubernetes.authorization.ResourceCheck"
    static let decisionTypeName = "kubernetes.authorization.Decision"

    static func objectType(_ name: String, fields: [String: CELType] = [:]) -> CELType {
        CELType(.object(CELObjectType(name: name, fields: fields)))
    }

    /// The type of `authorizer`: an `Authorizer` whose `requestResource` is the request's own
    /// `ResourceCheck` (upstream declares `authorizer.requestResource` as a variable of its own).
    public static let type = objectType(authorizerTypeName, fields: ["requestResource": objectType(resourceCheckTypeName)])

    /// The value of `authorizer` for one request: checks run as the requesting user,
    /// `requestResource` is `request` (its verb unset), `decisions` are the answers known so far.
    public static func value(request: CELAuthorizationCheck, decisions: [CELAuthorizationCheck: CELAuthorizationDecision]) -> CELValue {
        var table = CELMap()
        for (check, decision) in decisions {
            var entry = CELMap(typeName: decisionTypeName)
            entry.insert(.string("allowed"), .bool(decision.allowed))
            entry.insert(.string("reason"), .string(decision.reason))
            entry.insert(.string("error"), .string(decision.error))
            table.insert(.string(check.key), .map(entry))
        }
        var authorizer = CELMap(typeName: authorizerTypeName)
        authorizer.insert(.string(Hidden.decisions), .map(table))
        let root = CELValue.map(authorizer)
        authorizer.insert(.string("requestResource"), resourceCheck(request, authorizer: root))
        return .map(authorizer)
    }

    /// Keys of the values' own state; not CEL identifiers, so expressions cannot select them.
    enum Hidden {
        static let decisions = "@decisions"
        static let serviceAccount = "@serviceAccount"
        static let authorizer = "@authorizer"
        static let check = "@check"
    }

    /// A `PathCheck`, `GroupCheck` or `ResourceCheck` value: the check so far and its authorizer.
    static func checkValue(_ check: CELAuthorizationCheck, typeName: String, authorizer: CELValue) -> CELValue {
        var map = CELMap(typeName: typeName)
        map.insert(.string(Hidden.authorizer), authorizer)
        map.insert(.string(Hidden.check), .list([
            check.path.map(CELValue.string) ?? .null, .string(check.group), .string(check.resource), .string(check.subresource),
            .string(check.namespace), .string(check.name),
        ]))
        return .map(map)
    }

    static func resourceCheck(_ request: CELAuthorizationCheck, authorizer: CELValue) -> CELValue {
        checkValue(request, typeName: resourceCheckTypeName, authorizer: authorizer)
    }

    /// The check a `PathCheck`, `GroupCheck` or `ResourceCheck` value holds (its service account
    /// from its authorizer), and that authorizer; nil for any other value.
    static func check(of value: CELValue, typeName: String) -> (check: CELAuthorizationCheck, authorizer: CELValue)? {
        guard case .map(let map) = value, map.typeName == typeName, let authorizer = map[Hidden.authorizer],
              case .list(let fields)? = map[Hidden.check], fields.count == 6
        else { return nil }
        let strings = fields.map { if case .string(let text) = $0 { text } else { "" } }
        var check = CELAuthorizationCheck(group: strings[1], resource: strings[2], subresource: strings[3], namespace: strings[4], name: strings[5])
        if case .string(let path) = fields[0] { check.path = path }
        check.serviceAccount = serviceAccount(of: authorizer)
        return (check, authorizer)
    }

    /// The service account an `Authorizer` value checks as; nil for the requesting user.
    static func serviceAccount(of authorizer: CELValue) -> CELAuthorizationCheck.ServiceAccount? {
        guard case .map(let map) = authorizer, case .list(let names)? = map[Hidden.serviceAccount],
              names.count == 2, case .string(let namespace) = names[0], case .string(let name) = names[1]
        else { return nil }
        return CELAuthorizationCheck.ServiceAccount(namespace: namespace, name: name)
    }

    /// An `Authorizer` value like `authorizer` (the same decisions) checking as a service account.
    static func authorizer(_ authorizer: CELValue, as account: CELAuthorizationCheck.ServiceAccount) -> CELValue {
        var map = CELMap(typeName: authorizerTypeName)
        if case .map(let original) = authorizer, let decisions = original[Hidden.decisions] { map.insert(.string(Hidden.decisions), decisions) }
        map.insert(.string(Hidden.serviceAccount), .list([.string(account.namespace), .string(account.name)]))
        return .map(map)
    }

    /// The decision of `check` the authorizer knows, or the pending error naming the check.
    static func decision(_ check: CELAuthorizationCheck, authorizer: CELValue) throws(CELEvaluationError) -> CELValue {
        guard case .map(let map) = authorizer, case .map(let decisions)? = map[Hidden.decisions], let decision = decisions[check.key] else {
            throw CELEvaluationError(pending: check)
        }
        return decision
    }
}
