import SkiffModels

/// The files of a config map or secret in a volume, as upstream's `MakePayload`: every key as a
/// file of that name, or only the `items` listed, each at its `path` with its `mode` (else the
/// volume's `defaultMode`). A missing source is an error unless `optional` (then it has no
/// files); so is a listed key the source lacks.
struct KeyedContents {
    /// The source's kind as upstream's messages name it (`configmap`, `secret`).
    var kind: String
    var name: String
    var items: [(key: String, path: String, mode: Int32?)]
    var defaultMode: Int32?
    var optional: Bool

    func files(_ contents: [String: [UInt8]]?) throws -> [String: VolumeFile] {
        guard let contents else {
            if optional { return [:] }
            throw VolumeSetUpError("\(kind) \"\(name)\" not found")
        }
        let mode = defaultMode ?? VolumeFile.defaultMode
        guard !items.isEmpty else { return contents.mapValues { VolumeFile($0, mode: mode) } }
        var files: [String: VolumeFile] = [:]
        for item in items {
            guard let data = contents[item.key] else {
                if optional { continue }
                throw VolumeSetUpError(kind == "secret"
                    ? "references non-existent secret key: \(item.key)" : "configmap references non-existent config key: \(item.key)")
            }
            files[item.path] = VolumeFile(data, mode: item.mode ?? mode)
        }
        return files
    }

    /// The files of the config map `name` in the pod's namespace.
    static func configMap(
        name: String, items: [CoreV1.KeyToPath]?, defaultMode: Int32?, optional: Bool?, _ context: VolumeContext
    ) async throws -> [String: VolumeFile] {
        let contents = try await context.reader.configMap(namespace: context.pod.namespace, name: name)
        return try KeyedContents(kind: "configmap", name: name, items: items ?? [], defaultMode: defaultMode, optional: optional ?? false).files(contents)
    }

    /// The files of the secret `name` in the pod's namespace.
    static func secret(
        name: String, items: [CoreV1.KeyToPath]?, defaultMode: Int32?, optional: Bool?, _ context: VolumeContext
    ) async throws -> [String: VolumeFile] {
        let contents = try await context.reader.secret(namespace: context.pod.namespace, name: name)
        return try KeyedContents(kind: "secret", name: name, items: items ?? [], defaultMode: defaultMode, optional: optional ?? false).files(contents)
    }
}

extension KeyedContents {
    init(kind: String, name: String, items: [CoreV1.KeyToPath], defaultMode: Int32?, optional: Bool) {
        self.init(kind: kind, name: name, items: items.map { ($0.key, $0.path, $0.mode) }, defaultMode: defaultMode, optional: optional)
    }
}
