import SkiffAPI
import SkiffCEL

/// One CEL expression of a ValidatingAdmissionPolicy, compiled once when the policy is read
/// (against `object`, `oldObject`, `request`, `params`, `namespaceObject` and `variables`, all
/// `dyn`, and `authorizer`), or the reason it does not compile.
struct PolicyExpression: Sendable {
    /// Why an expression has no value, worded as upstream: `compilation error: …`,
    /// `expression '<source>' resulted in error: …`.
    enum Failure: Error, Sendable, CustomStringConvertible {
        case compile(String)
        case runtime(source: String, error: String)
        /// An `authorizer` check not decided yet: the caller decides it and evaluates again.
        case pending(CELAuthorizationCheck)

        var description: String {
            switch self {
            case .compile(let error): "compilation error: \(error)"
            case .runtime(let source, let error): "expression '\(source)' resulted in error: \(error)"
            case .pending: "authorization check pending"
            }
        }
    }

    /// The source text.
    var source: String
    var program: Result<CELProgram, Failure>

    init(_ source: String) {
        self.source = source
        do {
            program = .success(try CELProgram.compile(expression: source, environment: .admissionPolicy()))
        } catch {
            program = .failure(.compile("\(error)"))
        }
    }

    /// The `variables.<name>` the expression reads.
    var variablesRead: Set<String> {
        (try? program.get())?.selectedFields(of: "variables") ?? []
    }

    /// The value over `activation`.
    func evaluate(_ activation: [String: CELValue]) -> Result<CELValue, Failure> {
        let compiled: CELProgram
        switch program {
        case .failure(let failure): return .failure(failure)
        case .success(let program): compiled = program
        }
        do {
            return .success(try compiled.evaluate(activation: activation))
        } catch {
            if let check = error.pendingCheck { return .failure(.pending(check)) }
            return .failure(.runtime(source: source, error: "\(error)"))
        }
    }
}
