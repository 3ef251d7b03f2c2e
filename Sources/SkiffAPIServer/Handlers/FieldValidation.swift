import SkiffAPI
import SkiffRegistry
import SkiffSchemas

/// The `fieldValidation` parameter: unknown fields in a body are dropped (as upstream's decoding
/// does) and, as asked, rejected (`Strict`, 400), reported in `Warning` headers (`Warn`, the
/// default) or ignored (`Ignore`).
struct FieldValidation: Sendable {
    enum Mode: String, Sendable {
        case strict = "Strict"
        case warn = "Warn"
        case ignore = "Ignore"
    }

    let mode: Mode

    init(_ query: QueryParameters) throws(APIError) {
        let value = query["fieldValidation"] ?? ""
        guard let mode = value.isEmpty ? .warn : Mode(rawValue: value) else {
            throw APIError.badRequest("fieldValidation parameter unsupported: \(value)")
        }
        self.mode = mode
    }

    /// The object without unknown fields, and the warnings to send.
    func check(_ object: JSONValue, info: ResourceInfo) throws(APIError) -> (object: JSONValue, warnings: [String]) {
        guard let pruner = UnknownFieldPruner(definition: info.definitionName) else { return (object, []) }
        let (pruned, unknown) = pruner.prune(object)
        guard !unknown.isEmpty else { return (pruned, []) }
        let problems = unknown.map { "unknown field \"\($0)\"" }
        switch mode {
        case .strict:
            throw APIError.badRequest("\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): strict decoding error: "
                                      + problems.joined(separator: ", "))
        case .warn: return (pruned, problems)
        case .ignore: return (pruned, [])
        }
    }
}

extension HTTPResponse {
    /// Adds `Warning: 299 - "…"` headers, as upstream sends them.
    func withWarnings(_ warnings: [String]) -> HTTPResponse {
        var response = self
        for warning in warnings {
            let escaped = warning.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"")
            response.headers.add(name: "Warning", value: "299 - \"\(escaped)\"")
        }
        return response
    }
}
