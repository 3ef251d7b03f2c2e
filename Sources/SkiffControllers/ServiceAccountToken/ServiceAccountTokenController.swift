import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffModels
import SkiffPKI

/// Fills Secrets of type `kubernetes.io/service-account-token` (upstream's
/// `serviceaccount-token-controller`, still run in v1.32 for explicitly created secrets): a
/// secret annotated `kubernetes.io/service-account.name` gets a legacy token of that account in
/// `token`, the cluster CA in `ca.crt`, its `namespace`, and the account's uid as annotation.
/// A secret whose account is gone, or whose annotated uid is another account's, is deleted.
/// It runs with the manager's own credentials, as upstream's.
public struct ServiceAccountTokenController: Sendable {
    /// The signing key and CA the manager was given (`--service-account-private-key-file`,
    /// `--root-ca-file`).
    public struct Configuration: Sendable {
        public var signer: ServiceAccountTokenSigner
        public var rootCAPEM: String

        public init(signer: ServiceAccountTokenSigner, rootCAPEM: String) {
            self.signer = signer
            self.rootCAPEM = rootCAPEM
        }
    }

    static let secretType = "kubernetes.io/service-account-token"
    static let nameAnnotation = "kubernetes.io/service-account.name"
    static let uidAnnotation = "kubernetes.io/service-account.uid"

    private let controller: Controller<CoreV1.Secret>

    /// The controller filling secrets with `configuration`; without one it fills nothing (the
    /// manager does not start it then).
    public init(context: ControllerContext, configuration: Configuration?, workers: Int = 1) {
        let secrets = context.informers.informer(for: CoreV1.Secret.self)
        let accounts = context.informers.informer(for: CoreV1.ServiceAccount.self)
        let sync = Sync(secrets: secrets.lister, accounts: accounts.lister, client: context.client, configuration: configuration)
        controller = Controller(
            configuration: .init(name: "serviceaccount-token", workers: workers), informer: secrets, key: \.cacheKey, reconciler: sync,
            clock: context.clock, logger: context.logger(for: "serviceaccount-token"))
    }

    /// Reconciles token secrets until cancelled.
    public func run() async {
        await controller.run()
    }

    private struct Sync: Reconciler {
        let secrets: TypedLister<CoreV1.Secret>
        let accounts: TypedLister<CoreV1.ServiceAccount>
        let client: KubernetesClient
        let configuration: Configuration?

        func reconcile(_ key: String, logger: Logger) async throws -> ReconcileResult {
            guard let configuration, var secret = secrets.get(key), secret.type == ServiceAccountTokenController.secretType, !secret.isBeingDeleted,
                let name = secret.metadata?.annotations?[ServiceAccountTokenController.nameAnnotation], !name.isEmpty
            else { return .done }
            let namespace = secret.namespace
            let secretClient = client.core.v1.secrets(namespace)
            var account = accounts.namespace(namespace).get(name)
            if account == nil {
                do {
                    account = try await client.core.v1.serviceAccounts(namespace).get(name)
                } catch let error as APIError where error.isNotFound {
                    try await delete(secret, client: secretClient, logger: logger, reason: "its service account is gone")
                    return .done
                }
            }
            let uid = account?.metadata?.uid ?? ""
            if let annotated = secret.metadata?.annotations?[ServiceAccountTokenController.uidAnnotation], !annotated.isEmpty, annotated != uid {
                try await delete(secret, client: secretClient, logger: logger, reason: "it names another service account's uid")
                return .done
            }
            var data = secret.data ?? [:]
            guard data["token"] == nil || data["ca.crt"] == nil || data["namespace"] == nil else { return .done }
            let token = try await configuration.signer.sign(ServiceAccountClaims(
                legacyNamespace: namespace, serviceAccountName: name, serviceAccountUID: uid, secretName: secret.name))
            data["token"] = Data(token.utf8).base64EncodedString()
            data["ca.crt"] = Data(configuration.rootCAPEM.utf8).base64EncodedString()
            data["namespace"] = Data(namespace.utf8).base64EncodedString()
            secret.data = data
            secret.metadata?.annotations?[ServiceAccountTokenController.uidAnnotation] = uid
            _ = try await secretClient.update(secret)
            logger.debug("filled the token secret", metadata: ["secret": "\(key)"])
            return .done
        }

        private func delete(_ secret: CoreV1.Secret, client: ResourceClient<CoreV1.Secret>, logger: Logger, reason: String) async throws {
            do {
                try await client.delete(secret.name)
                logger.debug("deleted the token secret", metadata: ["secret": "\(secret.namespace)/\(secret.name)", "reason": "\(reason)"])
            } catch let error as APIError where error.isNotFound {}
        }
    }
}
