import SkiffAPI
import SkiffStorage

extension ResourceStore {
    /// Creates an object (`POST`): mutating admission, the system metadata, defaults and
    /// validation, validating admission, then the write.
    public func create(namespace: String?, object: JSONValue, options: WriteOptions = WriteOptions(),
                       admission: AdmissionContext = .skipped) async throws -> JSONValue {
        var object = try normalizeIncoming(object, namespace: namespace, name: nil)
        var attributes = admissionAttributes(.create, namespace: object.namespace, name: object.name ?? "", subresource: nil,
                                             object: object, oldObject: nil, dryRun: options.dryRun, context: admission)
        try await admission.chain.admit(&attributes)
        object = try normalizeIncoming(attributes.object ?? object, namespace: namespace, name: nil)
        if (object.name ?? "").isEmpty, let prefix = object.generateName, !prefix.isEmpty {
            object.name = NameGenerator.generate(prefix: prefix)
        }
        let now = Timestamp.now()
        var metadata = object.metadata
        for field in ["uid", "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generation"] {
            metadata[field] = nil
        }
        metadata["uid"] = .string(UID.random())
        metadata["creationTimestamp"] = .string(now.rfc3339)
        if strategy.tracksGeneration { metadata["generation"] = 1 }
        object.metadata = metadata
        strategy.prepareForCreate(&object)
        strategy.applyDefaults(to: &object)
        if let request = fieldManagerRequest(options, subresource: nil), options.operation == .update {
            fieldManager(subresource: nil).recordUpdate(from: nil, to: &object, by: request)
        }
        let errors = MetadataValidation.validate(object, info: info, strategy: strategy) + strategy.validate(object)
        let name = object.name ?? ""
        if !errors.isEmpty { throw APIError.invalid(kind: info.groupKind, name: name, errors: errors) }
        let context = StrategyContext(dryRun: options.dryRun, user: attributes.userInfo)
        try await strategy.beforeCreate(&object, context: context)
        do {
            attributes.object = object
            try await admission.chain.validate(attributes)
            if options.dryRun { return object }
            let key = info.key(namespace: object.namespace, name: name)
            let encoded = try await codec.encode(object, key: key)
            let kv = try await mapStorageErrors(name: name) { try await storage.create(key, value: encoded) }
            object.resourceVersion = String(kv.modRevision)
            return object
        } catch {
            if !options.dryRun { await strategy.afterDelete(object, context: context) }
            throw error
        }
    }

    /// Checks an incoming body against the request: kind and apiVersion, namespace and name.
    public func normalizeIncoming(_ object: JSONValue, namespace: String?, name: String?) throws(APIError) -> JSONValue {
        guard case .object = object else { throw APIError.badRequest("the body of the request must be a JSON object") }
        var object = object
        let expected = info.apiVersion
        if let apiVersion = object.apiVersion, !apiVersion.isEmpty, apiVersion != expected {
            throw APIError.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(expected))")
        }
        if let kind = object.kind, !kind.isEmpty, kind != info.kind {
            throw APIError.badRequest("the kind in the data (\(kind)) does not match the expected kind (\(info.kind))")
        }
        object.apiVersion = expected
        object.kind = info.kind
        if object["metadata"] != nil, object["metadata"]?.objectValue == nil {
            throw APIError.badRequest("metadata must be an object")
        }
        if info.namespaced {
            let given = object.namespace ?? ""
            if !given.isEmpty, let namespace, given != namespace {
                throw APIError.badRequest("the namespace of the provided object does not match the namespace sent on the request")
            }
            if given.isEmpty { object.namespace = namespace }
        } else {
            object.namespace = nil
        }
        if let name {
            let given = object.name ?? ""
            if given.isEmpty {
                object.name = name
            } else if given != name {
                throw APIError.badRequest("the name of the object (\(given)) does not match the name on the URL (\(name))")
            }
        }
        return object
    }
}

/// The random suffixes of `generateName` (upstream's alphabet: no vowels, no confusable digits).
public enum NameGenerator {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    /// `prefix` (cut to 58 characters) and five random characters.
    public static func generate(prefix: String) -> String {
        let trimmed = prefix.count > 58 ? String(prefix.prefix(58)) : prefix
        return trimmed + String((0..<5).map { _ in alphabet.randomElement()! })
    }
}
