import Foundation
import SwiftASN1
import X509

/// A PEM bundle of certificates (a CA file such as `--client-ca-file`).
public enum CertificateBundle {
    /// The certificates of `pem`, in order; throws when a block is no certificate or there is none.
    public static func parse(_ pem: String) throws(PKIError) -> [Certificate] {
        do {
            let certificates = try PEMDocument.parseMultiple(pemString: pem).map { try Certificate(pemDocument: $0) }
            guard !certificates.isEmpty else { throw PKIError("no certificate in the bundle") }
            return certificates
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError("cannot read the certificate bundle: \(error)")
        }
    }

    /// When the first certificate of `pem` expires (its notAfter), nil when `pem` holds none.
    public static func expiry(_ pem: String) -> Date? {
        (try? parse(pem))?.first?.notValidAfter
    }
}
