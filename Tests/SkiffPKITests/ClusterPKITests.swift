import Foundation
import SkiffPKI
import Testing
import X509

struct ClusterPKITests {
    let now = Date(timeIntervalSince1970: 1_780_000_000)
    let certificates = ClusterCertificates(hostName: "skiff-host", extraNames: ["api.example.com", "192.0.2.7"], nodeNames: ["skiff-node-0"])

    private func scratch() -> ClusterPKI {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-pki-\(UUID().uuidString)").path
        return ClusterPKI(directory: PKIDirectory(path: path))
    }

    @Test func servingCertificateNamesEveryWayToReachTheServer() throws {
        let outcome = try scratch().ensure(certificates.profiles, now: now)
        let serving = try #require(outcome.pairs[ClusterCertificates.apiServer])
        let names = try #require(try serving.certificate.extensions.subjectAlternativeNames)
        let dnsNames = names.compactMap { name -> String? in if case .dnsName(let dns) = name { dns } else { nil } }
        let ipAddresses = names.compactMap { name -> [UInt8]? in if case .ipAddress(let bytes) = name { Array(bytes.bytes) } else { nil } }
        #expect(Set(dnsNames) == [
            "localhost", "skiff-host", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local", "api.example.com",
        ])
        #expect(ipAddresses.contains([127, 0, 0, 1]))
        #expect(ipAddresses.contains([10, 96, 0, 1]))
        #expect(ipAddresses.contains([192, 0, 2, 7]))
        #expect(ipAddresses.contains(Array(repeating: 0, count: 15) + [1]))
        #expect(try serving.certificate.extensions.extendedKeyUsage?.contains(.serverAuth) == true)
    }

    @Test func clientCertificatesCarryUserAndGroups() throws {
        let outcome = try scratch().ensure(certificates.profiles, now: now)
        let admin = try #require(outcome.pairs[ClusterCertificates.admin])
        #expect(CertificateIdentity(admin.certificate) == CertificateIdentity(commonName: "kubernetes-admin", organizations: ["system:masters"]))
        let node = try #require(outcome.pairs[ClusterCertificates.node("skiff-node-0")])
        #expect(CertificateIdentity(node.certificate) == CertificateIdentity(commonName: "system:node:skiff-node-0", organizations: ["system:nodes"]))
        let scheduler = try #require(outcome.pairs[ClusterCertificates.scheduler])
        #expect(CertificateIdentity(scheduler.certificate).commonName == "system:kube-scheduler")
        #expect(try admin.certificate.extensions.extendedKeyUsage?.contains(.clientAuth) == true)
        #expect(outcome.authority.signed(admin.certificate))
    }

    @Test func validityFollowsKubeadm() throws {
        let outcome = try scratch().ensure(certificates.profiles, now: now)
        let ca = outcome.authority.keyPair.certificate
        #expect(ca.notValidAfter.timeIntervalSince(now) == CertificateAuthority.validity)
        let admin = try #require(outcome.pairs[ClusterCertificates.admin]).certificate
        #expect(admin.notValidBefore < now)
        #expect(admin.notValidAfter.timeIntervalSince(now) == CertificateAuthority.leafValidity)
        #expect(try ca.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: nil))
    }

    @Test func filesAreOwnerOnly() throws {
        let pki = scratch()
        _ = try pki.ensure(certificates.profiles, now: now)
        for name in [ClusterPKI.caName, ClusterCertificates.admin, ClusterCertificates.apiServer] {
            for path in [pki.directory.certificatePath(name), pki.directory.keyPath(name)] {
                let permissions = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
                #expect(permissions == 0o600, "\(path)")
            }
        }
    }

    @Test func aRestartReusesWhatIsStillGood() throws {
        let pki = scratch()
        let first = try pki.ensure(certificates.profiles, now: now)
        #expect(first.issued.count == certificates.profiles.count + 1)
        let second = try pki.ensure(certificates.profiles, now: now + 3600)
        #expect(second.issued.isEmpty)
        #expect(second.pairs[ClusterCertificates.admin]?.certificate == first.pairs[ClusterCertificates.admin]?.certificate)
    }

    @Test func expiredLeavesAreReissuedWithTheSameCA() throws {
        let pki = scratch()
        let first = try pki.ensure(certificates.profiles, now: now)
        let later = now + CertificateAuthority.leafValidity + 60
        let second = try pki.ensure(certificates.profiles, now: later)
        #expect(!second.issued.contains(ClusterPKI.caName))
        #expect(Set(second.issued) == Set(certificates.profiles.map(\.name)))
        #expect(second.authority.keyPair.certificate == first.authority.keyPair.certificate)
    }

    @Test func aNewCAReissuesEveryLeaf() throws {
        let pki = scratch()
        _ = try pki.ensure(certificates.profiles, now: now)
        try FileManager.default.removeItem(atPath: pki.directory.keyPath(ClusterPKI.caName))
        let second = try pki.ensure(certificates.profiles, now: now)
        #expect(Set(second.issued) == Set([ClusterPKI.caName] + certificates.profiles.map(\.name)))
    }

    @Test func aChangedServingNameReissuesOnlyTheServingCertificate() throws {
        let pki = scratch()
        _ = try pki.ensure(certificates.profiles, now: now)
        var changed = certificates
        changed.extraNames.append("other.example.com")
        #expect(try pki.ensure(changed.profiles, now: now).issued == [ClusterCertificates.apiServer])
    }

    @Test func rotationReissuesLeavesAndKeepsTheCA() throws {
        let pki = scratch()
        let first = try pki.ensure(certificates.profiles, now: now)
        let rotated = try pki.rotate(certificates.profiles, now: now)
        #expect(Set(rotated.issued) == Set(certificates.profiles.map(\.name)))
        #expect(rotated.authority.keyPair.certificate == first.authority.keyPair.certificate)
        #expect(rotated.pairs[ClusterCertificates.admin]?.certificate != first.pairs[ClusterCertificates.admin]?.certificate)
    }
}
