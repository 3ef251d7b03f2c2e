import SkiffAPI
import SkiffClient
import SkiffModels

extension PodLifecycle {
    /// The credentials for `image` from the pod's `imagePullSecrets`, read as the pod's node
    /// reads them (upstream's `getPullSecretsForPod`). Secrets that cannot be read are left out,
    /// and a `FailedToRetrieveImagePullSecret` Warning event names them: the pull is still tried.
    func pullCredentials(for image: String, pod: CoreV1.Pod) async -> [RegistryCredential] {
        let names = (pod.spec?.imagePullSecrets ?? []).compactMap(\.name).filter { !$0.isEmpty }
        guard let pullSecrets, !names.isEmpty else { return [] }
        var secrets: [(type: String, data: [String: [UInt8]])] = []
        var failed: [String] = []
        for name in names {
            if let secret = try? await pullSecrets.typedSecret(namespace: pod.namespace, name: name) {
                secrets.append(secret)
            } else {
                failed.append(name)
            }
        }
        if !failed.isEmpty {
            await events?.record(
                ObjectReference(pod), type: .warning, reason: "FailedToRetrieveImagePullSecret",
                message: "Unable to retrieve some image pull secrets (\(failed.joined(separator: ", "))); attempting to pull the image may not succeed.")
        }
        return DockerKeyring(secrets: secrets).lookup(image)
    }
}
