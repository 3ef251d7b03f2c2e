/// A set of field paths into an object, as server-side apply tracks them per manager.
///
/// A tree whose edges are path elements in the FieldsV1 spelling (`f:name`, `k:{"name":"c"}`,
/// `v:"x"`, `i:0`) and whose nodes say whether the path to them is itself in the set. It is
/// serialised as FieldsV1: `{"f:spec": {"f:replicas": {}}, "f:data": {".": {}, "f:a": {}}}`.
public struct FieldSet: Sendable, Hashable {
    /// Whether the path to this node is a member of the set.
    public var isMember: Bool
    /// The subtrees, by path element.
    public var children: [String: FieldSet]

    public init(isMember: Bool = false, children: [String: FieldSet] = [:]) {
        self.isMember = isMember
        self.children = children
    }

    /// Whether no path is in the set.
    public var isEmpty: Bool { !isMember && children.values.allSatisfy(\.isEmpty) }

    /// Every path in the set, each as its elements from the root.
    public var paths: [[String]] {
        var result: [[String]] = []
        collectPaths(prefix: [], into: &result)
        return result
    }

    private func collectPaths(prefix: [String], into result: inout [[String]]) {
        if isMember, !prefix.isEmpty { result.append(prefix) }
        for key in children.keys.sorted() {
            children[key]!.collectPaths(prefix: prefix + [key], into: &result)
        }
    }

    /// Whether `path` is a member.
    public func contains(_ path: some Collection<String>) -> Bool {
        guard let first = path.first else { return isMember }
        return children[first]?.contains(path.dropFirst()) ?? false
    }

    /// Whether a member lies strictly below `path` (the path is a parent of something in the set).
    public func containsDescendants(of path: some Collection<String>) -> Bool {
        guard let first = path.first else { return children.values.contains { !$0.isEmpty } }
        return children[first]?.containsDescendants(of: path.dropFirst()) ?? false
    }

    /// The paths in either set.
    public func union(_ other: FieldSet) -> FieldSet {
        var result = self
        result.isMember = isMember || other.isMember
        for (key, child) in other.children {
            result.children[key] = result.children[key].map { $0.union(child) } ?? child
        }
        return result.pruned()
    }

    /// The paths in this set and not in `other`.
    public func subtracting(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && !other.isMember)
        for (key, child) in children {
            result.children[key] = other.children[key].map { child.subtracting($0) } ?? child
        }
        return result.pruned()
    }

    /// The paths in both sets.
    public func intersection(_ other: FieldSet) -> FieldSet {
        var result = FieldSet(isMember: isMember && other.isMember)
        for (key, child) in children {
            if let theirs = other.children[key] { result.children[key] = child.intersection(theirs) }
        }
        return result.pruned()
    }

    /// The same set without empty subtrees.
    func pruned() -> FieldSet {
        var result = self
        result.children = children.filter { !$0.value.isEmpty }
        return result
    }
}

extension FieldSet {
    /// The FieldsV1 form (`metadata.managedFields[].fieldsV1`).
    public var fieldsV1: JSONValue {
        var members: [String: JSONValue] = [:]
        for (key, child) in children where !child.isEmpty { members[key] = child.fieldsV1 }
        if isMember, !members.isEmpty { members["."] = .emptyObject }
        return .object(members)
    }

    /// Reads a FieldsV1 tree; anything that is not one is an empty set.
    public init(fieldsV1: JSONValue) {
        self.init(node: fieldsV1)
        if fieldsV1 == .emptyObject { isMember = false }
    }

    /// A node below the root: `{}` is a member without children, `"."` marks a member with them.
    private init(node: JSONValue) {
        self.init()
        guard let members = node.objectValue else { return }
        if members.isEmpty { isMember = true }
        for (key, child) in members {
            if key == "." {
                isMember = true
            } else {
                children[key] = FieldSet(node: child)
            }
        }
    }
}
