/// JSON patch (RFC 6902, `application/json-patch+json`): add, remove, replace, move, copy, test,
/// with JSON pointers (RFC 6901, `~0`/`~1` escapes).
public enum JSONPatch {
    /// A patch that cannot be applied; the server answers `422` (or `400` for a malformed patch).
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        /// Whether the patch document itself is malformed (rather than not applicable).
        public var malformed: Bool
        public var description: String { message }
    }

    /// Applies the operations of `patch` (a JSON array) to `document`, all or nothing.
    public static func apply(_ patch: JSONValue, to document: JSONValue) throws(Failure) -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw Failure(message: "json: cannot unmarshal \(patch.typeName) into Go value of type jsonpatch.Patch", malformed: true)
        }
        var result = document
        for operation in operations {
            guard let op = operation["op"]?.stringValue else {
                throw Failure(message: "Unexpected kind: missing op", malformed: true)
            }
            let path = try pointer(operation, "path")
            switch op {
            case "add":
                result = try add(try value(operation), at: path, in: result)
            case "remove":
                result = try remove(at: path, in: result).document
            case "replace":
                _ = try get(path, in: result)
                result = try remove(at: path, in: result).document
                result = try add(try value(operation), at: path, in: result)
            case "move":
                let from = try pointer(operation, "from")
                if path.starts(with: from), path.count > from.count {
                    throw Failure(message: "move operation: cannot move a value into one of its children", malformed: false)
                }
                let removed = try remove(at: from, in: result)
                result = try add(removed.value, at: path, in: removed.document)
            case "copy":
                let from = try pointer(operation, "from")
                result = try add(try get(from, in: result), at: path, in: result)
            case "test":
                let actual = try get(path, in: result)
                guard actual == (try value(operation)) else {
                    throw Failure(message: "testing value \(render(path)) failed: test failed", malformed: false)
                }
            default:
                throw Failure(message: "Unexpected kind: \(op)", malformed: true)
            }
        }
        return result
    }

    private static func value(_ operation: JSONValue) throws(Failure) -> JSONValue {
        guard let value = operation["value"] else { throw Failure(message: "missing value", malformed: true) }
        return value
    }

    /// Parses a JSON pointer into reference tokens.
    static func pointer(_ operation: JSONValue, _ field: String) throws(Failure) -> [String] {
        guard let text = operation[field]?.stringValue else { throw Failure(message: "missing \(field)", malformed: true) }
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw Failure(message: "JSON pointer must be empty or start with a \"/\": \(text)", malformed: true) }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    private static func render(_ path: [String]) -> String {
        "/" + path.map { $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined(separator: "/")
    }

    private static func get(_ path: [String], in document: JSONValue) throws(Failure) -> JSONValue {
        var current = document
        for token in path {
            switch current {
            case .object(let members):
                guard let next = members[token] else { throw missing(path) }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
                current = elements[index]
            default:
                throw missing(path)
            }
        }
        return current
    }

    private static func missing(_ path: [String]) -> Failure {
        Failure(message: "doc is missing path: \"\(render(path))\": missing value", malformed: false)
    }

    private static func add(_ value: JSONValue, at path: [String], in document: JSONValue) throws(Failure) -> JSONValue {
        guard let token = path.first else { return value }
        if path.count > 1 {
            var child = try get([token], in: document)
            child = try add(value, at: Array(path.dropFirst()), in: child)
            return try set(child, token: token, in: document, path: path)
        }
        switch document {
        case .object(var members):
            members[token] = value
            return .object(members)
        case .array(var elements):
            if token == "-" {
                elements.append(value)
            } else {
                guard let index = Int(token), index >= 0, index <= elements.count else {
                    throw Failure(message: "add operation does not apply: doc is missing path: \"\(render(path))\"", malformed: false)
                }
                elements.insert(value, at: index)
            }
            return .array(elements)
        default:
            throw missing(path)
        }
    }

    private static func set(_ value: JSONValue, token: String, in document: JSONValue, path: [String]) throws(Failure) -> JSONValue {
        switch document {
        case .object(var members):
            members[token] = value
            return .object(members)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
            elements[index] = value
            return .array(elements)
        default:
            throw missing(path)
        }
    }

    private static func remove(at path: [String], in document: JSONValue) throws(Failure) -> (document: JSONValue, value: JSONValue) {
        guard let token = path.first else { throw Failure(message: "cannot remove the whole document", malformed: false) }
        if path.count > 1 {
            let child = try get([token], in: document)
            let removed = try remove(at: Array(path.dropFirst()), in: child)
            return (try set(removed.document, token: token, in: document, path: path), removed.value)
        }
        switch document {
        case .object(var members):
            guard let value = members.removeValue(forKey: token) else { throw missing(path) }
            return (.object(members), value)
        case .array(var elements):
            guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
            let value = elements.remove(at: index)
            return (.array(elements), value)
        default:
            throw missing(path)
        }
    }
}
