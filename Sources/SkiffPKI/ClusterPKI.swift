import Foundation
import X509

/// The certificates of a cluster, kept in a `PKIDirectory`: the CA (`ca`) and one pair per
/// profile. `ensure` keeps what is still good and issues only what is missing, expired, not
/// signed by the current CA, or no longer matching its profile (a changed `--tls-san`).
public struct ClusterPKI: Sendable {
    /// The file stem of the cluster CA.
    public static let caName = "ca"
    /// The common name of a CA this creates.
    public static let caCommonName = "kubernetes"

    public let directory: PKIDirectory
    /// The common name of the CA made when none is stored.
    public var authorityCommonName: String

    public init(directory: PKIDirectory, authorityCommonName: String = ClusterPKI.caCommonName) {
        self.directory = directory
        self.authorityCommonName = authorityCommonName
    }

    /// What `ensure` did.
    public struct Outcome: Sendable {
        public var authority: CertificateAuthority
        /// The pairs by profile name, current after the call.
        public var pairs: [String: KeyPair]
        /// The names of the files (re)issued (`ca` included when the CA was made).
        public var issued: [String]
    }

    /// Loads the CA and the profiles' pairs, issuing what is missing or no longer good at `now`.
    public func ensure(_ profiles: [CertificateProfile], now: Date) throws(PKIError) -> Outcome {
        var issued: [String] = []
        let authority: CertificateAuthority
        if let stored = try directory.read(Self.caName), stored.isValid(at: now) {
            authority = CertificateAuthority(keyPair: stored)
        } else {
            authority = try CertificateAuthority.create(commonName: authorityCommonName, now: now)
            try directory.write(authority.keyPair, as: Self.caName)
            issued.append(Self.caName)
        }
        var pairs: [String: KeyPair] = [:]
        for profile in profiles {
            if let stored = try directory.read(profile.name), stored.isValid(at: now), authority.signed(stored.certificate),
               (try? stored.matches(profile)) == true {
                pairs[profile.name] = stored
                continue
            }
            let pair = try authority.issue(profile, now: now)
            try directory.write(pair, as: profile.name)
            pairs[profile.name] = pair
            issued.append(profile.name)
        }
        return Outcome(authority: authority, pairs: pairs, issued: issued)
    }

    /// Re-issues the profiles' pairs with the current CA (`skiff certs rotate`), keeping the CA.
    public func rotate(_ profiles: [CertificateProfile], now: Date) throws(PKIError) -> Outcome {
        for profile in profiles {
            try? FileManager.default.removeItem(atPath: directory.certificatePath(profile.name))
        }
        return try ensure(profiles, now: now)
    }
}

extension KeyPair {
    /// Whether the certificate names what `profile` asks for: subject, usage and alternative names.
    func matches(_ profile: CertificateProfile) throws -> Bool {
        let identity = CertificateIdentity(certificate)
        guard identity.commonName == profile.commonName, identity.organizations == profile.organizations else { return false }
        let wanted = try profile.subjectAlternativeNames()
        let present = try certificate.extensions.subjectAlternativeNames.map(Array.init) ?? []
        guard Set(wanted) == Set(present) else { return false }
        let usage: ExtendedKeyUsage.Usage = profile.usage == .server ? .serverAuth : .clientAuth
        return try certificate.extensions.extendedKeyUsage?.contains(usage) == true
    }
}

extension ClusterPKI {
    /// The pairs stored in the directory by file stem, the CA included.
    public func stored() throws(PKIError) -> [String: KeyPair] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        var pairs: [String: KeyPair] = [:]
        for file in files where file.hasSuffix(".crt") {
            let name = String(file.dropLast(4))
            if let pair = try directory.read(name) { pairs[name] = pair }
        }
        return pairs
    }

    /// Re-issues every stored leaf certificate as it was (`skiff certs rotate`), with new keys
    /// and a new validity, keeping the CA; returns the names re-issued.
    public func rotateStored(now: Date) throws(PKIError) -> [String] {
        let leaves = try stored().filter { $0.key != Self.caName }
        var profiles: [CertificateProfile] = []
        for (name, pair) in leaves.sorted(by: { $0.key < $1.key }) {
            profiles.append(try CertificateProfile(name: name, reading: pair.certificate))
        }
        return try rotate(profiles, now: now).issued
    }
}

extension CertificateProfile {
    /// The profile a stored certificate was issued from: subject, usage and alternative names.
    init(name: String, reading certificate: Certificate) throws(PKIError) {
        let alternatives: [GeneralName]
        let server: Bool
        do {
            alternatives = try certificate.extensions.subjectAlternativeNames.map(Array.init) ?? []
            server = try certificate.extensions.extendedKeyUsage?.contains(.serverAuth) == true
        } catch {
            throw PKIError("cannot read the names of \(name): \(error)")
        }
        var dnsNames: [String] = []
        var ipAddresses: [String] = []
        for alternative in alternatives {
            switch alternative {
            case .dnsName(let dns): dnsNames.append(dns)
            case .ipAddress(let bytes): ipAddresses.append(IPAddressBytes.format(Array(bytes.bytes)))
            default: break
            }
        }
        let identity = CertificateIdentity(certificate)
        self.init(
            name: name, commonName: identity.commonName, organizations: identity.organizations,
            usage: server ? .server : .client, dnsNames: dnsNames, ipAddresses: ipAddresses)
    }
}
