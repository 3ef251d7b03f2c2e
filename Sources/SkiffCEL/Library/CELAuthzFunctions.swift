import SkiffAPI

/// Kubernetes' authz library (`k8s.io/apiserver/pkg/cel/library/authz.go`): from the
/// `authorizer` variable, `path(p)` and `group(g).resource(r)` with `subresource`, `namespace`
/// and `name`, `serviceAccount(namespace, name)`, `check(verb)` giving a `Decision`, and the
/// decision's `allowed()`, `reason()`, `errored()` and `error()`.
enum CELAuthzFunctions {
    typealias Overload = CELOverload
    typealias Names = CELAuthorizer

    static var overloads: [Overload] {
        let authorizer = Names.objectType(Names.authorizerTypeName)
        let pathCheck = Names.objectType(Names.pathCheckTypeName)
        let groupCheck = Names.objectType(Names.groupCheckTypeName)
        let resourceCheck = Names.objectType(Names.resourceCheckTypeName)
        let decision = Names.objectType(Names.decisionTypeName)
        var list = [
            Overload("path", member: true, [authorizer, .string], pathCheck) { args throws(CELEvaluationError) in
                guard case .map(let map) = args[0], map.typeName == Names.authorizerTypeName, case .string(let path) = args[1] else {
                    throw .noSuchOverload("path")
                }
                if path.allSatisfy(\.isWhitespace) { throw CELEvaluationError("path must not be empty") }
                return Names.checkValue(CELAuthorizationCheck(path: path), typeName: Names.pathCheckTypeName, authorizer: args[0])
            },
            Overload("group", member: true, [authorizer, .string], groupCheck) { args throws(CELEvaluationError) in
                guard case .map(let map) = args[0], map.typeName == Names.authorizerTypeName, case .string(let group) = args[1] else {
                    throw .noSuchOverload("group")
                }
                return Names.checkValue(CELAuthorizationCheck(group: group, resource: ""), typeName: Names.groupCheckTypeName, authorizer: args[0])
            },
            Overload("serviceAccount", member: true, [authorizer, .string, .string], authorizer) { args throws(CELEvaluationError) in
                guard case .map(let map) = args[0], map.typeName == Names.authorizerTypeName,
                      case .string(let namespace) = args[1], case .string(let name) = args[2]
                else { throw .noSuchOverload("serviceAccount") }
                if !NameValidation.dns1123Subdomain(name).isEmpty { throw CELEvaluationError("Invalid service account name") }
                if !NameValidation.dns1123Label(namespace).isEmpty { throw CELEvaluationError("Invalid service account namespace") }
                return Names.authorizer(args[0], as: CELAuthorizationCheck.ServiceAccount(namespace: namespace, name: name))
            },
            Overload("resource", member: true, [groupCheck, .string], resourceCheck) { args throws(CELEvaluationError) in
                guard case (var check, let authorizer)? = Names.check(of: args[0], typeName: Names.groupCheckTypeName), case .string(let resource) = args[1] else {
                    throw .noSuchOverload("resource")
                }
                if resource.allSatisfy(\.isWhitespace) { throw CELEvaluationError("resource must not be empty") }
                check.resource = resource
                return Names.resourceCheck(check, authorizer: authorizer)
            },
        ]
        let setters: [(String, @Sendable (inout CELAuthorizationCheck, String) -> Void)] = [
            ("subresource", { $0.subresource = $1 }), ("namespace", { $0.namespace = $1 }), ("name", { $0.name = $1 }),
        ]
        for (function, set) in setters {
            list.append(Overload(function, member: true, [resourceCheck, .string], resourceCheck) { args throws(CELEvaluationError) in
                guard case (var check, let authorizer)? = Names.check(of: args[0], typeName: Names.resourceCheckTypeName), case .string(let value) = args[1] else {
                    throw .noSuchOverload(function)
                }
                set(&check, value)
                return Names.resourceCheck(check, authorizer: authorizer)
            })
        }
        // One implementation for both receivers: the evaluator dispatches by kind, and both are maps.
        let check: Overload.Implementation = { args throws(CELEvaluationError) in
            let found = Names.check(of: args[0], typeName: Names.pathCheckTypeName) ?? Names.check(of: args[0], typeName: Names.resourceCheckTypeName)
            guard case (var check, let authorizer)? = found, case .string(let verb) = args[1] else { throw .noSuchOverload("check") }
            check.verb = verb
            return try Names.decision(check, authorizer: authorizer)
        }
        list.append(Overload("check", member: true, [pathCheck, .string], decision, check))
        list.append(Overload("check", member: true, [resourceCheck, .string], decision, check))
        let fields: [(function: String, field: String, result: CELType)] = [
            ("allowed", "allowed", .bool), ("reason", "reason", .string), ("error", "error", .string),
        ]
        for (function, field, result) in fields {
            list.append(Overload(function, member: true, [decision], result) { args throws(CELEvaluationError) in
                guard case .map(let map) = args[0], map.typeName == Names.decisionTypeName, let value = map[field] else {
                    throw .noSuchOverload(function)
                }
                return value
            })
        }
        list.append(Overload("errored", member: true, [decision], .bool) { args throws(CELEvaluationError) in
            guard case .map(let map) = args[0], map.typeName == Names.decisionTypeName, case .string(let error)? = map["error"] else {
                throw .noSuchOverload("errored")
            }
            return .bool(!error.isEmpty)
        })
        return list
    }
}
