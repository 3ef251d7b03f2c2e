import NIOSSL
import Testing

@testable import SkiffClient

struct TLSConfigurationTests {
    @Test func insecureSkipsVerification() throws {
        var configuration = ClientConfiguration(server: "https://example:6443")
        configuration.insecureSkipTLSVerify = true
        #expect(try configuration.makeTLSConfiguration().certificateVerification == .none)
        configuration.insecureSkipTLSVerify = false
        #expect(try configuration.makeTLSConfiguration().certificateVerification == .fullVerification)
    }

    @Test func invalidCredentialsAreConfigurationErrors() {
        var configuration = ClientConfiguration(server: "https://example:6443")
        configuration.certificateAuthorityPEM = Array("not a certificate".utf8)
        #expect(throws: ConfigurationError.self) { try configuration.makeTLSConfiguration() }
        configuration.certificateAuthorityPEM = nil
        configuration.clientCertificatePEM = Array("CERT".utf8)
        #expect(throws: ConfigurationError("a client certificate needs a client key, and a key a certificate")) {
            try configuration.makeTLSConfiguration()
        }
    }

    @Test func serverMustBeAnHTTPURL() {
        #expect(throws: ConfigurationError.self) { try RESTClient(configuration: ClientConfiguration(server: "example:6443")) }
    }
}
