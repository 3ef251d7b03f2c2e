/// A value built straight from a parsed JSON tree: what the typed models use instead of
/// `Codable` on their hot paths (informers, watches, responses). The models' conformances are
/// generated (`hack/codegen/models.py`); the result equals what `JSONDecoder` makes of the same
/// JSON, at a fraction of its cost (no coding paths, containers or generic metadata per field).
public protocol JSONTreeDecodable {
    /// The value `tree` describes; throws `JSONTreeDecodingError` where it does not fit.
    init(jsonTree tree: JSONValue) throws
}

/// Where a JSON tree does not fit the type it was decoded as.
public struct JSONTreeDecodingError: Error, CustomStringConvertible, Sendable {
    /// What was expected there (`a string`, `the member "name"`).
    public var expected: String
    /// The members and indexes leading to it, outermost first.
    public var path: [String] = []

    public init(expected: String) {
        self.expected = expected
    }

    public var description: String {
        path.isEmpty ? "expected \(expected)" : "expected \(expected) at \(path.joined(separator: "."))"
    }
}

/// The helpers the generated conformances call.
public enum JSONTree {
    /// The members of an object; throws when `tree` is not one.
    @inlinable public static func members(_ tree: JSONValue) throws -> [String: JSONValue] {
        guard case .object(let members) = tree else { throw JSONTreeDecodingError(expected: "an object") }
        return members
    }

    /// The member `key` decoded, nil when it is absent or `null` (as `decodeIfPresent`).
    @inlinable public static func optional<Value: JSONTreeDecodable>(_ member: JSONValue?, _ key: String) throws -> Value? {
        guard let member else { return nil }
        if case .null = member { return nil }
        return try decode(member, key)
    }

    /// The member `key` decoded; throws when it is absent or `null` (as `decode`).
    @inlinable public static func required<Value: JSONTreeDecodable>(_ member: JSONValue?, _ key: String) throws -> Value {
        guard let member else { throw JSONTreeDecodingError(expected: "the member \"\(key)\"") }
        return try decode(member, key)
    }

    @inlinable static func decode<Value: JSONTreeDecodable>(_ member: JSONValue, _ key: String) throws -> Value {
        do {
            return try Value(jsonTree: member)
        } catch var error as JSONTreeDecodingError {
            error.path.insert(key, at: 0)
            throw error
        }
    }
}

extension String: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        guard case .string(let value) = tree else { throw JSONTreeDecodingError(expected: "a string") }
        self = value
    }
}

extension Bool: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        guard case .bool(let value) = tree else { throw JSONTreeDecodingError(expected: "a boolean") }
        self = value
    }
}

extension Int64: JSONTreeDecodable {
    /// A number without fraction (`3`, `3.0`) that fits, as `JSONDecoder` reads one.
    @inlinable public init(jsonTree tree: JSONValue) throws {
        switch tree {
        case .int(let value): self = value
        case .double(let value) where value.rounded() == value && Int64(exactly: value) != nil: self = Int64(value)
        default: throw JSONTreeDecodingError(expected: "an integer")
        }
    }
}

extension Int32: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        guard let value = Int32(exactly: try Int64(jsonTree: tree)) else { throw JSONTreeDecodingError(expected: "a 32-bit integer") }
        self = value
    }
}

extension Int: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        self = Int(try Int64(jsonTree: tree))
    }
}

extension Double: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        switch tree {
        case .int(let value): self = Double(value)
        case .double(let value): self = value
        default: throw JSONTreeDecodingError(expected: "a number")
        }
    }
}

extension JSONValue: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        self = tree
    }
}

extension Array: JSONTreeDecodable where Element: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        guard case .array(let elements) = tree else { throw JSONTreeDecodingError(expected: "an array") }
        self = []
        reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            append(try JSONTree.decode(element, String(index)))
        }
    }
}

extension Dictionary: JSONTreeDecodable where Key == String, Value: JSONTreeDecodable {
    @inlinable public init(jsonTree tree: JSONValue) throws {
        let members = try JSONTree.members(tree)
        self = [:]
        reserveCapacity(members.count)
        for (key, member) in members {
            self[key] = try JSONTree.decode(member, key)
        }
    }
}

extension Timestamp: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        guard case .string(let text) = tree, let parsed = Timestamp(rfc3339: text) else {
            throw JSONTreeDecodingError(expected: "an RFC 3339 time")
        }
        self = parsed
    }
}

extension ObjectMeta: JSONTreeDecodable {
    /// Managed fields included: a client that leaves them out removes them from the tree first.
    public init(jsonTree tree: JSONValue) throws {
        let members = try JSONTree.members(tree)
        self.init(
            name: try JSONTree.optional(members["name"], "name"),
            generateName: try JSONTree.optional(members["generateName"], "generateName"),
            namespace: try JSONTree.optional(members["namespace"], "namespace"),
            selfLink: try JSONTree.optional(members["selfLink"], "selfLink"),
            uid: try JSONTree.optional(members["uid"], "uid"),
            resourceVersion: try JSONTree.optional(members["resourceVersion"], "resourceVersion"),
            generation: try JSONTree.optional(members["generation"], "generation"),
            creationTimestamp: try JSONTree.optional(members["creationTimestamp"], "creationTimestamp"),
            deletionTimestamp: try JSONTree.optional(members["deletionTimestamp"], "deletionTimestamp"),
            deletionGracePeriodSeconds: try JSONTree.optional(members["deletionGracePeriodSeconds"], "deletionGracePeriodSeconds"),
            labels: try JSONTree.optional(members["labels"], "labels"),
            annotations: try JSONTree.optional(members["annotations"], "annotations"),
            ownerReferences: try JSONTree.optional(members["ownerReferences"], "ownerReferences"),
            finalizers: try JSONTree.optional(members["finalizers"], "finalizers"),
            managedFields: try JSONTree.optional(members["managedFields"], "managedFields"))
    }
}

extension OwnerReference: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        let members = try JSONTree.members(tree)
        self.init(
            apiVersion: try JSONTree.required(members["apiVersion"], "apiVersion"), kind: try JSONTree.required(members["kind"], "kind"),
            name: try JSONTree.required(members["name"], "name"), uid: try JSONTree.required(members["uid"], "uid"),
            controller: try JSONTree.optional(members["controller"], "controller"),
            blockOwnerDeletion: try JSONTree.optional(members["blockOwnerDeletion"], "blockOwnerDeletion"))
    }
}

extension ManagedFieldsEntry: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        let members = try JSONTree.members(tree)
        self.init(
            manager: try JSONTree.optional(members["manager"], "manager"), operation: try JSONTree.optional(members["operation"], "operation"),
            apiVersion: try JSONTree.optional(members["apiVersion"], "apiVersion"), time: try JSONTree.optional(members["time"], "time"),
            fieldsType: try JSONTree.optional(members["fieldsType"], "fieldsType"), fieldsV1: try JSONTree.optional(members["fieldsV1"], "fieldsV1"),
            subresource: try JSONTree.optional(members["subresource"], "subresource"))
    }
}

extension ListMeta: JSONTreeDecodable {
    public init(jsonTree tree: JSONValue) throws {
        let members = try JSONTree.members(tree)
        self.init(
            selfLink: try JSONTree.optional(members["selfLink"], "selfLink"),
            resourceVersion: try JSONTree.optional(members["resourceVersion"], "resourceVersion"),
            continue: try JSONTree.optional(members["continue"], "continue"),
            remainingItemCount: try JSONTree.optional(members["remainingItemCount"], "remainingItemCount"))
    }
}
