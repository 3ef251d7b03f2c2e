import SkiffAPI

/// Converts custom objects between versions by calling out: a CRD's conversion webhook
/// (`spec.conversion.strategy: Webhook`). The API server gives the CRD controller one, as the
/// HTTP client lives there.
public protocol CustomResourceConverter: Sendable {
    /// `object` converted to `apiVersion` by the webhook `clientConfig`; an object already of that
    /// version is returned as it is. A failure is the error the client gets.
    func convert(_ object: JSONValue, to apiVersion: String, clientConfig: JSONValue) async throws(APIError) -> JSONValue
}

/// A CRD's webhook conversion: who converts, and the webhook's `clientConfig`.
public struct WebhookConversion: Sendable {
    public var converter: any CustomResourceConverter
    public var clientConfig: JSONValue

    public init(converter: any CustomResourceConverter, clientConfig: JSONValue) {
        self.converter = converter
        self.clientConfig = clientConfig
    }
}
