/// Server-side apply's field management: records which manager owns which fields on every
/// write, merges applied configurations and reports conflicts between managers.
public struct FieldManager: Sendable {
    /// The part of an object a write may own.
    public enum Scope: Sendable {
        /// The whole object; without `status` when `excludingStatus` (kinds with a status subresource).
        case object(excludingStatus: Bool)
        /// Only `status` (writes through the status subresource).
        case status
    }

    /// What a manager's write is: its name, subresource and the API version it used.
    public struct Request: Sendable {
        public var manager: String
        public var subresource: String?
        public var apiVersion: String
        public var time: Timestamp

        public init(manager: String, subresource: String? = nil, apiVersion: String, time: Timestamp = .now()) {
            self.manager = manager
            self.subresource = subresource
            self.apiVersion = apiVersion
            self.time = time
        }
    }

    public let schema: (any StructuralSchema)?
    public let scope: Scope

    public init(schema: (any StructuralSchema)?, scope: Scope) {
        self.schema = schema
        self.scope = scope
    }

    /// Records a create, update or patch: the manager takes the fields it added or changed
    /// (from every other manager, without conflicts), and removed fields lose their owners.
    /// Managed fields written by the client itself are kept as given (an empty list resets them).
    public func recordUpdate(from old: JSONValue?, to new: inout JSONValue, by request: Request) {
        let given = new[path: "metadata", "managedFields"]
        var entries: [ManagedFields]
        if let given, given != (old?[path: "metadata", "managedFields"] ?? .null) {
            entries = ManagedFields.entries(of: new)
            if entries.isEmpty {
                new[path: "metadata", "managedFields"] = nil
                return
            }
        } else {
            entries = old.map(ManagedFields.entries(of:)) ?? []
        }
        let comparison = FieldComparison(from: owned(old ?? .emptyObject), to: owned(new), schema: schema, markingMaps: true)
        let removed = comparison.removed
        let taken = comparison.added.union(comparison.modified)
        guard !taken.isEmpty || !removed.isEmpty else {
            new[path: "metadata", "managedFields"] = Self.encode(entries)
            return
        }
        for index in entries.indices {
            entries[index].fields = entries[index].fields.subtracting(taken).subtracting(removed)
        }
        upsert(&entries, request, .update) { $0.union(taken) }
        new[path: "metadata", "managedFields"] = Self.encode(entries)
    }

    /// Applies `config` for a manager to `live` (nil when the object does not exist yet):
    /// merges it, fails with a `409 Conflict` listing every field another manager owns and the
    /// apply would change (unless `force`, which takes them over), and removes the fields the
    /// manager applied before, no longer applies and nobody else owns.
    public func apply(_ config: JSONValue, to live: JSONValue?, by request: Request, force: Bool) throws(APIError) -> JSONValue {
        var entries = live.map(ManagedFields.entries(of:)) ?? []
        let applied = FieldSet(of: owned(config), schema: schema)
        var merged = ApplyMerge.merge(inScope(config), into: live ?? .emptyObject, schema: schema)
        let comparison = FieldComparison(from: owned(live ?? .emptyObject), to: owned(merged), schema: schema)
        let changed = comparison.added.union(comparison.modified)
        var conflicts: [(manager: String, path: [String])] = []
        for index in entries.indices where !entries[index].isEntry(of: request.manager, .apply, request.subresource) {
            let contested = entries[index].fields.intersection(changed)
            if contested.isEmpty { continue }
            if force {
                entries[index].fields = entries[index].fields.subtracting(contested)
            } else {
                conflicts += contested.paths.map { (entries[index].conflictName, $0) }
            }
        }
        if !conflicts.isEmpty { throw Self.conflictError(conflicts) }
        let previous = entries.first { $0.isEntry(of: request.manager, .apply, request.subresource) }?.fields ?? FieldSet()
        var othersOwn = FieldSet()
        for entry in entries where !entry.isEntry(of: request.manager, .apply, request.subresource) {
            othersOwn = othersOwn.union(entry.fields)
        }
        let abandoned = previous.subtracting(applied).subtracting(othersOwn)
        Self.remove(abandoned, from: &merged, keeping: othersOwn.union(applied))
        upsert(&entries, request, .apply) { _ in applied }
        merged[path: "metadata", "managedFields"] = Self.encode(entries)
        return merged
    }

    /// Removes the paths of `fields` (an element with its contents at once) and then the maps and
    /// lists they leave empty, unless someone in `kept` owns those. A path that is still the parent
    /// of a kept field stays (a map applied empty and later applied with entries).
    private static func remove(_ fields: FieldSet, from object: inout JSONValue, keeping kept: FieldSet) {
        var removed: [[String]] = []
        for path in fields.paths where !removed.contains(where: { path.starts(with: $0) }) {
            if kept.containsDescendants(of: path) { continue }
            FieldPath.remove(path, from: &object)
            removed.append(path)
            var parent = path.dropLast()
            while !parent.isEmpty, !kept.contains(parent), let value = FieldPath.value(at: parent, in: object),
                  value == .emptyObject || value == .array([]) {
                FieldPath.remove(parent, from: &object)
                parent = parent.dropLast()
            }
        }
    }

    /// Sets the fields of the entry of `request`'s manager (appending it when new) and drops
    /// entries left without fields.
    private func upsert(_ entries: inout [ManagedFields], _ request: Request, _ operation: ManagedFields.Operation,
                        _ fields: (FieldSet) -> FieldSet) {
        if let index = entries.firstIndex(where: { $0.isEntry(of: request.manager, operation, request.subresource) }) {
            entries[index].fields = fields(entries[index].fields)
            entries[index].apiVersion = request.apiVersion
            entries[index].time = request.time
        } else {
            entries.append(ManagedFields(manager: request.manager, operation: operation, subresource: request.subresource,
                                         apiVersion: request.apiVersion, time: request.time, fields: fields(FieldSet())))
        }
        entries.removeAll { $0.fields.isEmpty }
    }

    /// The part of an object managers own: no identity or system metadata, and only the scope.
    private func owned(_ object: JSONValue) -> JSONValue {
        var result = inScope(object)
        result["apiVersion"] = nil
        result["kind"] = nil
        if var metadata = result["metadata"]?.objectValue {
            for field in Self.systemMetadata { metadata[field] = nil }
            result["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        }
        return result
    }

    private func inScope(_ object: JSONValue) -> JSONValue {
        switch scope {
        case .object(let excludingStatus):
            var result = object
            if excludingStatus { result["status"] = nil }
            return result
        case .status:
            var result = JSONValue.emptyObject
            for field in ["apiVersion", "kind", "metadata", "status"] { result[field] = object[field] }
            result["metadata"] = object["metadata"].map { metadata in
                var identity = JSONValue.emptyObject
                for field in ["name", "namespace", "resourceVersion", "managedFields"] { identity[field] = metadata[field] }
                return identity
            }
            return result
        }
    }

    /// Metadata the server owns, never a manager.
    static let systemMetadata = [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp",
        "deletionGracePeriodSeconds", "selfLink", "managedFields",
    ]

    static func encode(_ entries: [ManagedFields]) -> JSONValue? {
        entries.isEmpty ? nil : .array(entries.map(\.json))
    }

    /// Upstream's apply conflict: `409 Conflict` with one `FieldManagerConflict` cause per field.
    static func conflictError(_ conflicts: [(manager: String, path: [String])]) -> APIError {
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].manager): \(FieldPath.render(conflicts[0].path))"
        } else {
            let byManager = Dictionary(grouping: conflicts, by: \.manager)
            let lines = byManager.keys.sorted().flatMap { manager in
                ["conflicts with \(manager):"] + byManager[manager]!.map { "- " + FieldPath.render($0.path) }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        let causes = conflicts.map {
            APIError.Cause(type: .fieldManagerConflict, message: "conflict with \($0.manager)", field: FieldPath.render($0.path))
        }
        return APIError(code: 409, reason: .conflict, message: message, details: .init(causes: causes))
    }
}
