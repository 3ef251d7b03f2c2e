import SkiffAPI

/// How kube-aggregator joins the Swagger (OpenAPI v2) documents of extension servers to the
/// server's own (kube-openapi's merge that ignores path conflicts and renames definitions and
/// parameters): each extension document is first cut down to the paths of its group version and
/// what they refer to; merging then keeps the paths the destination already has, shares a
/// definition (or parameter) of the same name only when its content is the same, and renames one
/// of the same name with other content to `<name>_v2` (`_v3`, …: the first name neither document
/// uses), every reference to it following.
public enum SwaggerMerge {
    static let definitionPrefix = "#/definitions/"
    static let parameterPrefix = "#/parameters/"

    /// `document` with only the paths under `pathPrefix` and the definitions and parameters those
    /// refer to, directly or not (upstream's `FilterSpecByPathsWithoutSideEffects`).
    public static func filter(_ document: JSONValue, pathPrefix: String) -> JSONValue {
        keeping(document) { $0.hasPrefix(pathPrefix) }
    }

    /// Adds `source`'s paths that `destination` does not have, with what they refer to, to `destination`.
    public static func merge(_ source: JSONValue, into destination: inout JSONValue) {
        let existingPaths = destination["paths"]?.objectValue ?? [:]
        guard (source["paths"]?.objectValue ?? [:]).keys.contains(where: { existingPaths[$0] == nil }) else { return }
        var source = keeping(source) { existingPaths[$0] == nil }
        for (section, prefix) in [("definitions", definitionPrefix), ("parameters", parameterPrefix)] {
            let ours = destination[section]?.objectValue ?? [:]
            let theirs = source[section]?.objectValue ?? [:]
            guard !theirs.isEmpty else { continue }
            let renames = conflictRenames(ours: ours, theirs: theirs)
            if !renames.isEmpty { source = renaming(source, section: section, prefix: prefix, renames) }
            var merged = ours
            for (name, value) in source[section]?.objectValue ?? [:] where merged[name] == nil { merged[name] = value }
            destination[section] = .object(merged)
        }
        var paths = existingPaths
        for (path, item) in source["paths"]?.objectValue ?? [:] { paths[path] = item }
        destination["paths"] = .object(paths)
    }

    /// The new names of `theirs`' members whose names `ours` uses for other content.
    static func conflictRenames(ours: [String: JSONValue], theirs: [String: JSONValue]) -> [String: String] {
        var used = Set(ours.keys).union(theirs.keys)
        var renames: [String: String] = [:]
        for name in theirs.keys.sorted() {
            guard let existing = ours[name], existing != theirs[name] else { continue }
            var suffix = 2
            while used.contains("\(name)_v\(suffix)") { suffix += 1 }
            renames[name] = "\(name)_v\(suffix)"
            used.insert("\(name)_v\(suffix)")
        }
        return renames
    }

    /// `document` with the members of `section` renamed as `renames` says, and every reference to them.
    static func renaming(_ document: JSONValue, section: String, prefix: String, _ renames: [String: String]) -> JSONValue {
        var renamed = rewritingReferences(document) { reference in
            guard reference.hasPrefix(prefix), let new = renames[String(reference.dropFirst(prefix.count))] else { return reference }
            return prefix + new
        }
        var members = renamed[section]?.objectValue ?? [:]
        for (old, new) in renames {
            members[new] = members[old]
            members[old] = nil
        }
        renamed[section] = .object(members)
        return renamed
    }

    /// `document` with only the paths `keep` accepts and the definitions and parameters they need.
    static func keeping(_ document: JSONValue, paths keep: (String) -> Bool) -> JSONValue {
        var result = document
        let paths = (document["paths"]?.objectValue ?? [:]).filter { keep($0.key) }
        result["paths"] = .object(paths)
        let definitions = document["definitions"]?.objectValue ?? [:], parameters = document["parameters"]?.objectValue ?? [:]
        var usedDefinitions = Set<String>(), usedParameters = Set<String>()
        var pending: [String] = []
        collectReferences(.object(paths)) { pending.append($0) }
        while let reference = pending.popLast() {
            if reference.hasPrefix(definitionPrefix) {
                let name = String(reference.dropFirst(definitionPrefix.count))
                guard usedDefinitions.insert(name).inserted, let schema = definitions[name] else { continue }
                collectReferences(schema) { pending.append($0) }
            } else if reference.hasPrefix(parameterPrefix) {
                let name = String(reference.dropFirst(parameterPrefix.count))
                guard usedParameters.insert(name).inserted, let parameter = parameters[name] else { continue }
                collectReferences(parameter) { pending.append($0) }
            }
        }
        if document["definitions"] != nil { result["definitions"] = .object(definitions.filter { usedDefinitions.contains($0.key) }) }
        if document["parameters"] != nil { result["parameters"] = .object(parameters.filter { usedParameters.contains($0.key) }) }
        return result
    }

    /// Calls `found` with every `$ref` in `value`.
    static func collectReferences(_ value: JSONValue, _ found: (String) -> Void) {
        switch value {
        case .object(let members):
            for (key, member) in members {
                if key == "$ref", let reference = member.stringValue { found(reference) } else { collectReferences(member, found) }
            }
        case .array(let elements):
            for element in elements { collectReferences(element, found) }
        default:
            break
        }
    }

    /// `value` with every `$ref` replaced by what `rewrite` makes of it.
    static func rewritingReferences(_ value: JSONValue, _ rewrite: (String) -> String) -> JSONValue {
        switch value {
        case .object(let members):
            var rewritten = members
            for (key, member) in members {
                if key == "$ref", let reference = member.stringValue {
                    rewritten[key] = .string(rewrite(reference))
                } else {
                    rewritten[key] = rewritingReferences(member, rewrite)
                }
            }
            return .object(rewritten)
        case .array(let elements):
            return .array(elements.map { rewritingReferences($0, rewrite) })
        default:
            return value
        }
    }
}
