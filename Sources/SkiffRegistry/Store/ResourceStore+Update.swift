import SkiffAPI
import SkiffStorage

extension ResourceStore {
    /// Which part of an object a write may change.
    public enum UpdateTarget: Sendable {
        /// The main resource: everything but `status` (for kinds with a status subresource).
        case main
        /// The status subresource: only `status`.
        case status
        /// The namespace finalize subresource: only `spec.finalizers`.
        case finalize
        /// The certificate signing request approval subresource: only `status.conditions`.
        case approval

        /// The subresource's name, nil for the main resource.
        public var subresource: String? {
            switch self {
            case .main: return nil
            case .status: return "status"
            case .finalize: return "finalize"
            case .approval: return "approval"
            }
        }
    }

    /// Replaces an object (`PUT`). With a `resourceVersion` in the body the write is conditional on it
    /// (stale → `409 Conflict`); without one it applies to the latest state.
    public func update(namespace: String?, name: String, object: JSONValue, target: UpdateTarget = .main,
                       options: WriteOptions = WriteOptions(), admission: AdmissionContext = .skipped) async throws -> JSONValue {
        let incoming = try normalizeIncoming(object, namespace: namespace, name: name)
        let precondition = incoming.resourceVersion.flatMap { $0.isEmpty ? nil : $0 }
        return try await guaranteedUpdate(namespace: namespace, name: name, precondition: precondition, options: options,
                                          subresource: target.subresource, admission: admission) { old in
            self.merge(incoming, into: old, target: target)
        }
    }

    /// The optimistic-concurrency loop every write of an existing object goes through: read the
    /// latest state, compute the new one, compare-and-swap; on a conflict, retry unless the caller
    /// asked for a specific `resourceVersion`. Finishes deletions whose last finalizer is gone.
    /// A `subresource` write (status, binding, finalize, scale) skips the main resource's update
    /// rules (such as a pod's immutable spec), as upstream's subresource strategies do. The fields
    /// the write changes are recorded for `options.fieldManager`. Mutating admission sees each
    /// attempt's transformed object, validating admission the defaulted and validated one.
    public func guaranteedUpdate(namespace: String?, name: String, precondition: String?, options: WriteOptions,
                                 subresource: String? = nil, admission: AdmissionContext = .skipped,
                                 _ transform: @Sendable (JSONValue) throws -> JSONValue) async throws -> JSONValue {
        let key = info.key(namespace: namespace, name: name)
        var current = try await mapStorageErrors(name: name) { try await storage.get(key, revision: 0) }
        while true {
            guard let kv = current else { throw APIError.notFound(info.groupResource, name: name) }
            let old = try await codec.decode(kv)
            if let precondition, precondition != old.resourceVersion {
                throw APIError.conflict(info.groupResource, name: name, message: APIError.staleObjectMessage)
            }
            var attributes = admissionAttributes(.update, namespace: namespace, name: name, subresource: subresource,
                                                 object: try transform(old), oldObject: old, dryRun: options.dryRun, context: admission)
            try await admission.chain.admit(&attributes)
            var updated = attributes.object ?? old
            try prepareUpdate(&updated, old: old, subresource: subresource != nil)
            // A write that leaves managed fields out keeps the stored ones (upstream's field
            // manager then reads the live object's); only an empty list resets them.
            if updated[path: "metadata", "managedFields"] == nil, let stored = old[path: "metadata", "managedFields"] {
                updated[path: "metadata", "managedFields"] = stored
            }
            if let request = fieldManagerRequest(options, subresource: subresource), options.operation == .update {
                fieldManager(subresource: subresource).recordUpdate(from: old, to: &updated, by: request)
            }
            if updated == old, !codec.isStale(kv) { return old }
            attributes.object = updated
            try await admission.chain.validate(attributes)
            // The same stored form is no change either (e.g. `null` fields a conversion writes
            // and an incoming body, decoded as upstream, leaves out).
            let serialized = try await codec.serialize(updated)
            if codec.holds(serialized, in: kv) { return old }
            if options.dryRun { return updated }
            do {
                if isReadyToDelete(updated) {
                    let result = try await storage.delete(key, expectedModRevision: kv.modRevision)
                    await strategy.afterDelete(updated, context: StrategyContext(dryRun: false))
                    updated.resourceVersion = String(result.revision)
                    return updated
                }
                let written = try await storage.update(key, value: codec.seal(serialized, key: key), expectedModRevision: kv.modRevision)
                updated.resourceVersion = String(written.modRevision)
                await strategy.afterUpdate(updated, old: old)
                return updated
            } catch let error as StorageError where error.code == .conflict || error.code == .keyNotFound {
                if precondition != nil, error.code == .conflict {
                    throw APIError.conflict(info.groupResource, name: name, message: APIError.staleObjectMessage)
                }
                current = error.current
            } catch let error as StorageError {
                throw apiError(for: error, name: name)
            }
        }
    }

    /// Combines an incoming object with the stored one according to what the write may change.
    public func merge(_ incoming: JSONValue, into old: JSONValue, target: UpdateTarget) -> JSONValue {
        switch target {
        case .main:
            var updated = incoming
            strategy.prepareForUpdate(&updated, old: old)
            return updated
        case .status:
            var updated = old
            updated["status"] = incoming["status"]
            updated[path: "metadata", "managedFields"] = incoming[path: "metadata", "managedFields"]
            return updated
        case .finalize:
            var updated = old
            updated[path: "spec", "finalizers"] = incoming[path: "spec", "finalizers"]
            updated[path: "metadata", "managedFields"] = incoming[path: "metadata", "managedFields"]
            return updated
        case .approval:
            var updated = old
            updated[path: "status", "conditions"] = incoming[path: "status", "conditions"]
            updated[path: "metadata", "managedFields"] = incoming[path: "metadata", "managedFields"]
            return updated
        }
    }

    /// Keeps system metadata, bumps the generation, applies defaults and validates an update.
    func prepareUpdate(_ updated: inout JSONValue, old: JSONValue, subresource: Bool) throws(APIError) {
        var metadata = updated.metadata
        for field in ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "namespace", "name"] {
            metadata[field] = old.metadata[field]
        }
        metadata["selfLink"] = nil
        metadata["resourceVersion"] = old.metadata["resourceVersion"]
        updated.metadata = metadata
        updated.apiVersion = old.apiVersion
        updated.kind = old.kind
        strategy.applyDefaults(to: &updated)
        if strategy.tracksGeneration, Self.specChanged(updated, old) {
            updated.generation = (old.generation ?? 0) + 1
        }
        if old.deletionTimestamp != nil {
            let added = Set(updated.finalizers).subtracting(old.finalizers)
            if !added.isEmpty {
                throw APIError.invalid(kind: info.groupKind, name: old.name ?? "", errors: [
                    .forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers \(added.sorted())")
                ])
            }
        }
        var errors = MetadataValidation.validate(updated, info: info, strategy: strategy) + strategy.validateForUpdate(updated, old: old)
        if !subresource || strategy.validatesSubresourceUpdates { errors += strategy.validateUpdate(updated, old: old) }
        if !errors.isEmpty { throw APIError.invalid(kind: info.groupKind, name: old.name ?? "", errors: errors) }
    }

    /// Whether anything but `metadata` and `status` differs.
    static func specChanged(_ new: JSONValue, _ old: JSONValue) -> Bool {
        var a = new
        var b = old
        for field in ["metadata", "status"] {
            a[field] = nil
            b[field] = nil
        }
        return a != b
    }

    /// A deleted object with no finalizers left and no grace period pending goes away for real.
    func isReadyToDelete(_ object: JSONValue) -> Bool {
        object.deletionTimestamp != nil && object.finalizers.isEmpty && (object.deletionGracePeriodSeconds ?? 0) == 0
            && !strategy.deletionHeld(object)
    }
}
