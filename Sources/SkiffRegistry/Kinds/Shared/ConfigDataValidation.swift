import SkiffAPI

/// The key and immutability rules ConfigMaps and Secrets share.
enum ConfigDataValidation {
    /// Each key of the maps at `fields` must be a valid config key (`data[key]` paths); a key
    /// may appear in only one of them.
    static func validateKeys(_ object: JSONValue, fields: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        var seen = Set<String>()
        for field in fields {
            for key in (object[field]?.objectValue ?? [:]).keys.sorted() {
                errors += keyProblems(key).map { .invalid("\(field)[\(key)]", .string(key), $0) }
                if !seen.insert(key).inserted {
                    errors.append(.invalid("data[\(key)]", .string(key), "duplicate of key present in \(field)"))
                }
            }
        }
        return errors
    }

    /// Once `immutable` is true it stays so, and the maps at `fields` never change.
    static func validateImmutability(_ object: JSONValue, old: JSONValue, fields: [String]) -> [FieldError] {
        guard old["immutable"]?.boolValue == true else { return [] }
        var errors: [FieldError] = []
        if object["immutable"]?.boolValue != true { errors.append(.forbidden("immutable", "field is immutable when `immutable` is set")) }
        for field in fields where object[field] != old[field] {
            errors.append(.forbidden(field, "field is immutable when `immutable` is set"))
        }
        return errors
    }

    private static func keyProblems(_ key: String) -> [String] {
        var problems: [String] = []
        if key.utf8.count > 253 { problems.append("must be no more than 253 characters") }
        let allowed = key.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 45 || byte == 46 || byte == 95
        }
        if key.isEmpty || !allowed {
            problems.append("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
        }
        if key == "." || key == ".." {
            problems.append("must not be '\(key)'")
        } else if key.hasPrefix("..") {
            problems.append("must not start with '..'")
        }
        return problems
    }
}
