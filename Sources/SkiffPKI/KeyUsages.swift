import SwiftASN1
import X509

/// The certificates API's key usages (`spec.usages`: `digital signature`, `client auth`, …) as
/// X.509's key usage bits and extended key usages, mapped as upstream's signer maps them.
struct KeyUsages {
    var keyUsage = KeyUsage()
    var extendedKeyUsages: [ExtendedKeyUsage.Usage] = []

    /// The usages `names` ask for; a name the API does not know throws upstream's message.
    init(_ names: [String]) throws(PKIError) {
        var unrecognized: [String] = []
        var extended: [ExtendedKeyUsage.Usage] = []
        for name in names {
            switch name {
            case "signing", "digital signature": keyUsage.digitalSignature = true
            case "content commitment": keyUsage.nonRepudiation = true
            case "key encipherment": keyUsage.keyEncipherment = true
            case "key agreement": keyUsage.keyAgreement = true
            case "data encipherment": keyUsage.dataEncipherment = true
            case "cert sign": keyUsage.keyCertSign = true
            case "crl sign": keyUsage.cRLSign = true
            case "encipher only": keyUsage.encipherOnly = true
            case "decipher only": keyUsage.decipherOnly = true
            default:
                guard let usage = Self.extended[name] else {
                    unrecognized.append(name)
                    continue
                }
                if !extended.contains(usage) { extended.append(usage) }
            }
        }
        guard unrecognized.isEmpty else {
            throw PKIError("unrecognized usage values: [\(unrecognized.map { "\"\($0)\"" }.joined(separator: " "))]")
        }
        extendedKeyUsages = extended
    }

    /// Extended key usages by the API's names.
    private static let extended: [String: ExtendedKeyUsage.Usage] = [
        "any": .any, "server auth": .serverAuth, "client auth": .clientAuth, "code signing": .codeSigning,
        "email protection": .emailProtection, "s/mime": .emailProtection, "timestamping": .timeStamping, "ocsp signing": .ocspSigning,
        "ipsec end system": .init(oid: [1, 3, 6, 1, 5, 5, 7, 3, 5]), "ipsec tunnel": .init(oid: [1, 3, 6, 1, 5, 5, 7, 3, 6]),
        "ipsec user": .init(oid: [1, 3, 6, 1, 5, 5, 7, 3, 7]), "microsoft sgc": .init(oid: [1, 3, 6, 1, 4, 1, 311, 10, 3, 3]),
        "netscape sgc": .init(oid: [2, 16, 840, 1, 113730, 4, 1]),
    ]
}
