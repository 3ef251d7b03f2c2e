import SkiffAPI
import SkiffRegistry
import SkiffSchemas
import Synchronization

/// `/openapi/v3` and its per group-version documents, built from the registry's resources on first
/// request and kept until the registry's resources change (`Registry.generation`), with those of
/// the extension servers (`ExtensionOpenAPI`) beside them; `/openapi/v2` is `SwaggerDocument`'s.
final class OpenAPIDocuments: Sendable {
    /// The patch types the server implements; documents advertise exactly these, so clients pick
    /// one the server accepts (server-side apply comes later).
    static let patchTypes = PatchRequest.acceptedTypes

    /// What the documents were built from: the registry's and the extension servers' generations.
    struct Generation: Equatable {
        var registry: Int
        var extensions: Int
    }

    private let registry: Registry
    private let extensions: ExtensionOpenAPI
    private let cache = Mutex<(generation: Generation, documents: [String: OpenAPIDocumentBuilder.Document])?>(nil)
    private let swagger: SwaggerDocument

    init(registry: Registry, extensions: ExtensionOpenAPI) {
        self.registry = registry
        self.extensions = extensions
        self.swagger = SwaggerDocument(registry: registry, extensions: extensions)
    }

    func serve(_ request: HTTPRequest, segments: ArraySlice<String>) throws(APIError) -> HTTPResponse {
        if segments.count == 1, segments.first == "v2" { return try swagger.serve(request) }
        guard segments.first == "v3" else {
            throw APIError(code: 404, reason: .notFound, message: "the server could not find the requested resource")
        }
        let documents = currentDocuments()
        let path = segments.dropFirst().joined(separator: "/")
        if path.isEmpty { return .json(OpenAPIDocumentBuilder.index(documents)) }
        guard let document = documents[path] else {
            throw APIError(code: 404, reason: .notFound, message: "the server could not find the requested resource")
        }
        var response = HTTPResponse.jsonBytes(document.bytes)
        response.headers.add(name: "Etag", value: "\"\(document.hash)\"")
        if request.query["hash"] == document.hash {
            response.headers.add(name: "Cache-Control", value: "public, immutable")
        } else {
            response.headers.add(name: "Cache-Control", value: "no-cache, private")
        }
        return response
    }

    /// The server's own documents and, at paths it does not serve itself, the extension servers'.
    private func currentDocuments() -> [String: OpenAPIDocumentBuilder.Document] {
        let generation = Generation(registry: registry.generation, extensions: extensions.generation)
        let resources = registry.resources
        if let cached = cache.withLock({ $0 }), cached.generation == generation { return cached.documents }
        var documents = OpenAPIDocumentBuilder(resources: Self.describe(resources, in: registry),
                                               definitions: Self.definitions(of: resources, in: registry)).documents()
        documents.merge(extensions.v3Documents) { own, _ in own }
        cache.withLock { $0 = (generation, documents) }
        return documents
    }

    /// The built-in definitions and those of the custom resources among `resources`.
    static func definitions(of resources: [ResourceInfo], in registry: Registry) -> [String: JSONValue] {
        var definitions = BuiltinSchemas.definitions
        for info in resources {
            guard let store = registry.store(for: info.groupVersionResource) else { continue }
            definitions.merge(store.strategy.openAPIDefinitions) { _, custom in custom }
        }
        return definitions
    }

    /// The registry's resources as the OpenAPI documents describe them.
    static func describe(_ resources: [ResourceInfo], in registry: Registry) -> [OpenAPIResource] {
        resources.map { info in
            let store = registry.store(for: GroupVersionResource(group: info.group, version: info.version, resource: info.plural))
            // A kind with a schema of its own (a custom resource) has no strategic merge patch, as upstream.
            let ownsSchema = !(store?.strategy.openAPIDefinitions.isEmpty ?? true)
            return OpenAPIResource(group: info.group, version: info.version, kind: info.kind, plural: info.plural, namespaced: info.namespaced,
                                   subresources: info.subresources.map(\.rawValue).sorted(), definitionName: info.definitionName,
                                   patchTypes: ownsSchema ? patchTypes.filter { $0 != "application/strategic-merge-patch+json" } : patchTypes, verbs: info.verbs, deleteReturnsObject: store?.strategy.returnsDeletedObject ?? false)
        }
    }
}
