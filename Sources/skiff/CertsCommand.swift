import ArgumentParser
import Foundation
import SkiffPKI

/// `skiff certs`: the cluster's certificates (kubeadm's `certs check-expiration` and `certs renew`).
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs", abstract: "Show or rotate the cluster's certificates.",
        subcommands: [List.self, Rotate.self], defaultSubcommand: List.self)

    /// Where the certificates are.
    struct Location: ParsableArguments {
        @Option(help: "Where the cluster keeps its state.")
        var dataDir: String = ServerOptions.defaultDataDir

        @Option(help: "Where the certificates are kept (default: DATA-DIR/pki).")
        var pkiDir: String?

        var pki: ClusterPKI { ClusterPKI(directory: PKIDirectory(path: path)) }

        /// The front-proxy CA and client, listed and rotated as `front-proxy/NAME`.
        var frontProxy: ClusterPKI { FrontProxyCertificates.pki(pkiDirectory: path) }

        private var path: String { pkiDir ?? dataDir + "/pki" }

        /// Every stored pair by name, the front-proxy ones under `front-proxy/`.
        func stored() throws -> [String: KeyPair] {
            let frontProxyPairs = try frontProxy.stored().map { ("\(FrontProxyCertificates.directoryName)/\($0.key)", $0.value) }
            return try pki.stored().merging(frontProxyPairs) { cluster, _ in cluster }
        }
    }

    /// `skiff certs list`: every certificate with its expiry.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the certificates with their expiry.")

        @OptionGroup var location: Location

        func run() throws {
            let pairs = try location.stored()
            guard !pairs.isEmpty else { throw ValidationError("no certificates under \(location.pki.directory.path)") }
            let now = Date()
            let rows = pairs.sorted { $0.key < $1.key }.map { name, pair in
                let identity = CertificateIdentity(pair.certificate)
                let subject = (["CN=\(identity.commonName)"] + identity.organizations.map { "O=\($0)" }).joined(separator: ",")
                return [name, Self.format(pair.certificate.notValidAfter), Self.residual(pair.certificate.notValidAfter.timeIntervalSince(now)), subject]
            }
            print(Console.table([["CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "SUBJECT"]] + rows), terminator: "")
        }

        static func format(_ date: Date) -> String {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "MMM dd, yyyy HH:mm 'UTC'"
            return formatter.string(from: date)
        }

        /// kubeadm's residual time: `364d`, `9y`, `<invalid>` once expired.
        static func residual(_ seconds: TimeInterval) -> String {
            guard seconds > 0 else { return "<invalid>" }
            let days = Int(seconds / 86400)
            if days >= 365 * 2 { return "\(days / 365)y" }
            if days >= 1 { return "\(days)d" }
            return "\(Int(seconds / 3600))h"
        }
    }

    /// `skiff certs rotate`: new leaf certificates and keys, same CA.
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-issue every leaf certificate with a new key (the CA stays); restart the cluster to use them.")

        @OptionGroup var location: Location

        func run() throws {
            let now = Date()
            let issued = try location.pki.rotateStored(now: now)
                + location.frontProxy.rotateStored(now: now).map { "\(FrontProxyCertificates.directoryName)/\($0)" }
            guard !issued.isEmpty else { throw ValidationError("no certificates under \(location.pki.directory.path)") }
            print("Re-issued: \(issued.joined(separator: ", ")). Restart the cluster to use them.")
        }
    }
}
