import ArgumentParser
import Foundation
import SkiffAPIServer
import SkiffPKI

/// The flags of service account and bootstrap tokens (upstream's kube-apiserver names).
struct ServiceAccountOptions: ParsableArguments {
    @Option(help: "The issuer (iss) of service account tokens; tokens from it are accepted.")
    var serviceAccountIssuer: String = ServiceAccountIssuer.defaultIssuer

    @Option(help: "The ECDSA P-256 PEM key that signs service account tokens (default: PKI-DIR/sa.key, made once).")
    var serviceAccountSigningKeyFile: String?

    @Option(help: "A PEM file of further public keys service account tokens may be signed with (repeatable).")
    var serviceAccountKeyFile: [String] = []

    @Option(help: "Comma-separated audiences of the API; a bound token must name one (default: the issuer).")
    var apiAudiences: String = ""

    @Option(help: "The longest lifetime of a requested token (Go duration, e.g. 48h; default: no limit).")
    var serviceAccountMaxTokenExpiration: DurationFlag?

    @Option(help: "Give kubelet-style pod-bound token requests (3607 s) a year, with warnafter at the hour.")
    var serviceAccountExtendTokenExpiration = true

    @Option(help: "Authenticate bootstrap tokens from kube-system Secrets (default: on in skiff up, off in skiff apiserver).")
    var enableBootstrapTokenAuth: Bool?

    /// The signing key of the flag, or the one kept in `pkiDir` (made when missing).
    func signingKey(pkiDir: String) throws -> ServiceAccountSigningKey {
        try serviceAccountSigningKeyFile.map { try ServiceAccountSigningKey(path: $0) } ?? ServiceAccountSigningKey.ensure(in: PKIDirectory(path: pkiDir))
    }

    /// The issuer of the flags, with the signing key of the flag or of `pkiDir`.
    func issuer(pkiDir: String) async throws -> ServiceAccountIssuer {
        let key = try signingKey(pkiDir: pkiDir)
        let verification = try serviceAccountKeyFile.flatMap { file in
            try ServiceAccountTokenSigner.publicKeys(pem: String(contentsOfFile: file, encoding: .utf8))
        }
        let signer = try await ServiceAccountTokenSigner(signingKey: key.privateKey, verificationKeys: verification)
        let maximum = serviceAccountMaxTokenExpiration.map { $0.duration.components.seconds }
        return ServiceAccountIssuer(
            signer: signer, issuer: serviceAccountIssuer,
            apiAudiences: apiAudiences.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            maxExpirationSeconds: maximum, extendExpiration: serviceAccountExtendTokenExpiration)
    }
}
