import SkiffAPI

/// The protobuf form of a Swagger 2.0 document that kubectl asks `/openapi/v2` for
/// (`application/com.github.proto-openapi.spec.v2@v1.0+protobuf`): gnostic's `openapi.v2.Document`
/// message. Vendor extensions (`x-kubernetes-*`) become `NamedAny` pairs whose `Any.yaml` holds the
/// value's JSON text, which YAML readers parse as they parse gnostic's own output.
public enum OpenAPIV2Protobuf {
    /// The media type clients ask for; kubectl 1.32 still sends this (deprecated) spelling.
    public static let requestedMediaType = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
    /// The media type of the response body (and the current spelling of the request).
    public static let contentType = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"

    /// Encodes a Swagger 2.0 document. Members the message has no field for are an error, as they
    /// are for gnostic's parser.
    public static func encode(_ document: JSONValue) throws(ProtobufError) -> [UInt8] {
        try GnosticLayout.document.encode(document)
    }
}
