import SkiffAPI
import Testing
@testable import SkiffCEL

/// The authz library over the `authorizer` variable: building checks, pending checks, decisions,
/// and what the checker refuses.
struct CELAuthorizerTests {
    static func evaluate(_ expression: String, decisions: [CELAuthorizationCheck: CELAuthorizationDecision] = [:])
        throws(CELEvaluationError) -> CELValue
    {
        let program = try! CELProgram.compile(expression: expression, environment: .admissionPolicy())
        let request = CELAuthorizationCheck(group: "apps", resource: "deployments", subresource: "scale", namespace: "team", name: "web")
        return try program.evaluate(activation: ["authorizer": CELAuthorizer.value(request: request, decisions: decisions)])
    }

    static func pending(_ expression: String, decisions: [CELAuthorizationCheck: CELAuthorizationDecision] = [:]) -> CELAuthorizationCheck? {
        do {
            _ = try evaluate(expression, decisions: decisions)
            return nil
        } catch {
            #expect(error.kind == .authorizationPending)
            return error.pendingCheck
        }
    }

    @Test func checksAreBuiltAsUpstreamsLibrary() {
        var pods = CELAuthorizationCheck(group: "", resource: "pods", subresource: "log", namespace: "default", name: "web")
        pods.verb = "get"
        #expect(Self.pending("authorizer.group('').resource('pods').subresource('log').namespace('default').name('web').check('get').allowed()") == pods)
        var request = CELAuthorizationCheck(group: "apps", resource: "deployments", subresource: "scale", namespace: "team", name: "web")
        request.verb = "update"
        #expect(Self.pending("authorizer.requestResource.check('update').reason() == ''") == request)
        var path = CELAuthorizationCheck(path: "/healthz")
        path.verb = "get"
        #expect(Self.pending("authorizer.path('/healthz').check('get').allowed()") == path)
        var account = CELAuthorizationCheck(group: "", resource: "secrets")
        account.verb = "list"
        account.serviceAccount = .init(namespace: "kube-system", name: "reader")
        #expect(Self.pending("authorizer.serviceAccount('kube-system', 'reader').group('').resource('secrets').check('list').allowed()") == account)
    }

    @Test func decisionsAnswerChecks() throws {
        var check = CELAuthorizationCheck(group: "", resource: "pods", namespace: "default")
        check.verb = "create"
        let decisions = [check: CELAuthorizationDecision(allowed: false, reason: "no rule")]
        let chain = "authorizer.group('').resource('pods').namespace('default').check('create')"
        #expect(try Self.evaluate(chain + ".allowed()", decisions: decisions).same(.bool(false)))
        #expect(try Self.evaluate(chain + ".reason()", decisions: decisions).same(.string("no rule")))
        #expect(try Self.evaluate(chain + ".errored()", decisions: decisions).same(.bool(false)))
        #expect(try Self.evaluate(chain + ".error()", decisions: decisions).same(.string("")))
        // An empty subresource or name is unset, as upstream's.
        #expect(try Self.evaluate("authorizer.group('').resource('pods').subresource('').name('').namespace('default').check('create').allowed()",
                                  decisions: decisions).same(.bool(false)))
        // A decided check does not end the evaluation of another that is not.
        #expect(Self.pending(chain + ".allowed() || authorizer.path('/x').check('get').allowed()", decisions: decisions)?.path == "/x")
    }

    @Test func badArgumentsAreErrors() {
        #expect(throws: CELEvaluationError("path must not be empty")) { try Self.evaluate("authorizer.path(' ').check('get').allowed()") }
        #expect(throws: CELEvaluationError("resource must not be empty")) { try Self.evaluate("authorizer.group('').resource('').check('get').allowed()") }
        #expect(throws: CELEvaluationError("Invalid service account name")) {
            try Self.evaluate("authorizer.serviceAccount('default', 'Bad_Name').path('/x').check('get').allowed()")
        }
        #expect(throws: CELEvaluationError("Invalid service account namespace")) {
            try Self.evaluate("authorizer.serviceAccount('a.b', 'name').path('/x').check('get').allowed()")
        }
    }

    @Test func checkerRefusesMisuse() {
        for expression in ["authorizer.group(1)", "authorizer.resource('pods')", "authorizer.path('/x').allowed()", "authorizer.secret"] {
            #expect(throws: CELCompileError.self, "\(expression)") {
                try CELProgram.compile(expression: expression, environment: .admissionPolicy())
            }
        }
        #expect(throws: Never.self) { try CELProgram.compile(expression: "authorizer.requestResource.check('get').allowed()", environment: .admissionPolicy()) }
    }
}
