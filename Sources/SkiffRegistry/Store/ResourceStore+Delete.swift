import SkiffAPI
import SkiffStorage

extension ResourceStore {
    /// Deletes an object (`DELETE`): checks preconditions, adds the garbage collector's finalizers
    /// for the propagation policy, and either removes the object or marks it deleted
    /// (`deletionTimestamp`) while finalizers or a grace period hold it. Mutating admission runs
    /// first (without an object, as upstream's), validating admission on the stored object.
    public func delete(namespace: String?, name: String, options: DeleteOptions = DeleteOptions(),
                       admission: AdmissionContext = .skipped) async throws -> DeleteOutcome {
        let key = info.key(namespace: namespace, name: name)
        var attributes = admissionAttributes(.delete, namespace: namespace, name: name, subresource: nil,
                                             object: nil, oldObject: nil, dryRun: options.dryRun, context: admission)
        try await admission.chain.admit(&attributes)
        var current = try await mapStorageErrors(name: name) { try await storage.get(key, revision: 0) }
        while true {
            guard let kv = current else { throw APIError.notFound(info.groupResource, name: name) }
            let old = try await codec.decode(kv)
            try checkPreconditions(options, object: old, name: name)
            attributes.oldObject = old
            try await admission.chain.validate(attributes)
            var updated = old
            updateDeletionFinalizers(&updated, options: options)
            let grace = options.gracePeriodSeconds ?? strategy.defaultGracePeriod(for: old)
            let held = !updated.finalizers.isEmpty || strategy.deletionHeld(updated) || (grace ?? 0) > 0
            if held {
                if updated.deletionTimestamp == nil || (grace ?? 0) < (updated.deletionGracePeriodSeconds ?? 0) {
                    updated.deletionTimestamp = Timestamp.now().adding(seconds: grace ?? 0).rfc3339
                    updated.deletionGracePeriodSeconds = grace ?? 0
                    strategy.prepareForDeletion(&updated)
                }
                if updated == old || options.dryRun { return .pending(updated) }
                do {
                    let written = try await storage.update(key, value: codec.encode(updated, key: key), expectedModRevision: kv.modRevision)
                    updated.resourceVersion = String(written.modRevision)
                    return .pending(updated)
                } catch let error as StorageError where error.code == .conflict || error.code == .keyNotFound {
                    current = error.current
                    continue
                }
            }
            if options.dryRun { return .deleted(old) }
            do {
                let result = try await storage.delete(key, expectedModRevision: kv.modRevision)
                await strategy.afterDelete(old, context: StrategyContext(dryRun: false))
                var deleted = old
                deleted.resourceVersion = String(result.revision)
                return .deleted(deleted)
            } catch let error as StorageError where error.code == .conflict || error.code == .keyNotFound {
                current = error.current
            }
        }
    }

    private func checkPreconditions(_ options: DeleteOptions, object: JSONValue, name: String) throws(APIError) {
        if let uid = options.preconditions?.uid, uid != object.uid {
            throw APIError.conflict(info.groupResource, name: name,
                message: "Precondition failed: UID in precondition: \(uid), UID in object meta: \(object.uid ?? "")")
        }
        if let version = options.preconditions?.resourceVersion, version != object.resourceVersion {
            throw APIError.conflict(info.groupResource, name: name,
                message: "Precondition failed: ResourceVersion in precondition: \(version), ResourceVersion in object meta: \(object.resourceVersion ?? "")")
        }
    }

    /// Adds `orphan` or `foregroundDeletion` as the propagation policy asks, so the garbage
    /// collector can act on the dependents before the object goes.
    private func updateDeletionFinalizers(_ object: inout JSONValue, options: DeleteOptions) {
        let policy = options.propagationPolicy ?? (options.orphanDependents == true ? .orphan : nil)
        guard let policy else { return }
        var finalizers = object.finalizers
        switch policy {
        case .orphan:
            finalizers.removeAll { $0 == Finalizers.foregroundDeletion }
            if !finalizers.contains(Finalizers.orphan) { finalizers.append(Finalizers.orphan) }
        case .foreground:
            finalizers.removeAll { $0 == Finalizers.orphan }
            if !finalizers.contains(Finalizers.foregroundDeletion) { finalizers.append(Finalizers.foregroundDeletion) }
        default:
            finalizers.removeAll { $0 == Finalizers.orphan || $0 == Finalizers.foregroundDeletion }
        }
        object.finalizers = finalizers
    }

    /// Deletes every selected object (`DELETE` on a collection); returns the deleted ones.
    public func deleteCollection(namespace: String?, listOptions: ListOptions, options: DeleteOptions,
                                 admission: AdmissionContext = .skipped) async throws -> [JSONValue] {
        var listOptions = listOptions
        listOptions.limit = nil
        listOptions.continue = nil
        listOptions.resourceVersion = nil
        let result = try await list(namespace: namespace, options: listOptions)
        var deleted: [JSONValue] = []
        for item in result.items {
            do {
                switch try await delete(namespace: item.namespace, name: item.name, options: options, admission: admission) {
                case .deleted(let object), .pending(let object): deleted.append(object)
                }
            } catch let error as APIError where error.code == 404 {
                continue
            }
        }
        return deleted
    }
}

/// The finalizers the garbage collector acts on.
public enum Finalizers {
    public static let orphan = "orphan"
    public static let foregroundDeletion = "foregroundDeletion"
}
