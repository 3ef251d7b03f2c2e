import SkiffAPI
import SkiffRegistry
import SkiffSchemas

/// Unknown fields in a body are dropped (as upstream's decoding does) and, as `fieldValidation`
/// asks, rejected (`Strict`, 400), reported in `Warning` headers (`Warn`, the default) or ignored
/// (`Ignore`).
extension FieldValidation {
    /// The object decoded against the kind's schema (unknown fields dropped), and the warnings
    /// to send. `duplicates` are the members the body repeats (`data.a`). A value of the wrong
    /// type is a `400`, as upstream's decoding error.
    /// A custom resource's body is pruned by its strategy's schema instead (type errors are then
    /// the schema validation's `422`).
    func check(_ object: JSONValue, duplicates: [String] = [], info: ResourceInfo,
               strategy: any ResourceStrategy) throws(APIError) -> (object: JSONValue, warnings: [String]) {
        let prefix = "\(info.kind) in version \"\(info.version)\" cannot be handled as a \(info.kind): "
        let result: PrunedObject
        if let custom = strategy.decodeIncoming(object) {
            result = custom
        } else {
            guard let pruner = UnknownFieldPruner(definition: info.definitionName) else { return (object, []) }
            let pruned = pruner.prune(object)
            if let typeError = pruned.typeError { throw APIError.badRequest(prefix + typeError) }
            result = PrunedObject(object: pruned.object, unknownFields: pruned.unknownFields)
        }
        let problems = duplicates.map { "duplicate field \"\($0)\"" } + result.unknownFields.map { "unknown field \"\($0)\"" }
        guard !problems.isEmpty else { return (result.object, []) }
        switch self {
        case .strict: throw APIError.badRequest(prefix + "strict decoding error: " + problems.joined(separator: ", "))
        case .ignore: return (result.object, [])
        default: return (result.object, problems)
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
