import NIOHTTP1
import SkiffAPI
import SkiffProtobuf
import SkiffRegistry
import SkiffSchemas
import Synchronization

/// `/openapi/v2`: the Swagger 2.0 document of the whole API, as JSON or as gnostic's protobuf
/// message (what kubectl asks for). The extension servers' documents (`ExtensionOpenAPI`) are
/// merged into the server's own as kube-aggregator merges them (`SwaggerMerge`). Both encodings
/// are built together on the first request and kept until the set of resources or the extension
/// servers' documents change; both carry the JSON's content hash as their ETag.
final class SwaggerDocument: Sendable {
    /// The two encodings of one document.
    struct Encoded: Sendable {
        var json: OpenAPIDocumentBuilder.Document
        var protobuf: [UInt8]
    }

    /// What `Accept` asked for.
    enum Format {
        case json, protobuf
    }

    private let registry: Registry
    private let extensions: ExtensionOpenAPI
    private let cache = Mutex<(generation: OpenAPIDocuments.Generation, encoded: Encoded)?>(nil)

    init(registry: Registry, extensions: ExtensionOpenAPI) {
        self.registry = registry
        self.extensions = extensions
    }

    func serve(_ request: HTTPRequest) throws(APIError) -> HTTPResponse {
        guard let format = Self.negotiate(request.headers.first(name: "accept")) else {
            return HTTPResponse(status: .notAcceptable, headers: ["Vary": "Accept"])
        }
        let encoded = try current()
        let etag = "\"\(encoded.json.hash)\""
        var headers: HTTPHeaders = ["Vary": "Accept", "Etag": etag]
        if let match = request.headers.first(name: "if-none-match"),
           match.split(separator: ",").contains(where: { $0.trimmingSpaces() == etag || $0.trimmingSpaces() == "*" }) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        switch format {
        case .json:
            headers.add(name: "Content-Type", value: "application/json")
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(encoded.json.bytes))
        case .protobuf:
            headers.add(name: "Content-Type", value: OpenAPIV2Protobuf.contentType)
            return HTTPResponse(status: .ok, headers: headers, body: .bytes(encoded.protobuf))
        }
    }

    /// The first clause of `Accept` that names JSON or the protobuf form (either spelling); JSON
    /// when the header is absent; nil when nothing acceptable is named (406, as upstream).
    static func negotiate(_ accept: String?) -> Format? {
        guard let accept, !accept.isEmpty else { return .json }
        for clause in accept.split(separator: ",") {
            switch MediaType.essence(String(clause)) {
            case "application/json", "application/*", "*/*": return .json
            case OpenAPIV2Protobuf.requestedMediaType, OpenAPIV2Protobuf.contentType: return .protobuf
            default: continue
            }
        }
        return nil
    }

    private func current() throws(APIError) -> Encoded {
        let generation = OpenAPIDocuments.Generation(registry: registry.generation, extensions: extensions.generation)
        let resources = registry.resources
        if let cached = cache.withLock({ $0 }), cached.generation == generation { return cached.encoded }
        let builder = OpenAPIDocumentBuilder(resources: OpenAPIDocuments.describe(resources, in: registry),
                                             definitions: OpenAPIDocuments.definitions(of: resources, in: registry))
        let own = builder.swaggerDocument(version: Version.gitVersion)
        var merged = own
        for document in extensions.swaggerDocuments { SwaggerMerge.merge(document, into: &merged) }
        let encoded: Encoded
        do {
            // An extension server's document the protobuf form cannot carry leaves all of them out.
            encoded = try (try? Self.encode(merged)) ?? Self.encode(own)
        } catch {
            throw .internalError("encoding the OpenAPI v2 document: \(error)")
        }
        cache.withLock { $0 = (generation, encoded) }
        return encoded
    }

    private static func encode(_ document: JSONValue) throws -> Encoded {
        Encoded(json: .init(bytes: document.serialized()), protobuf: try OpenAPIV2Protobuf.encode(document))
    }
}
