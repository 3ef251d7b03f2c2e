import SkiffAPI
import SkiffClient
import SkiffModels

extension PodLifecycle {
    /// Makes sure the container's image is on the node, as upstream's image manager
    /// (`EnsureImageExists`): pulled when the policy says (`Always`, or `IfNotPresent` and
    /// absent), with each of the pod's credentials in turn, with upstream's events (`Pulling`,
    /// `Pulled`, `Failed`, `ErrImageNeverPull`).
    func ensureImage(_ config: ContainerConfig, key: String, pod: CoreV1.Pod, sandboxID: String) async throws {
        let image = config.image
        let present = await runtime.hasImage(image)
        let pulls = config.imagePullPolicy == "Always" || (config.imagePullPolicy != "Never" && !present)
        guard pulls else {
            if present {
                await containerEvent(pod, key: key, reason: "Pulled", message: "Container image \"\(image)\" already present on machine")
                return
            }
            let message = "Container image \"\(image)\" is not present with pull policy of Never"
            await containerEvent(pod, key: key, type: .warning, reason: "ErrImageNeverPull", message: message)
            throw RuntimeError(.imageNeverPull, message)
        }
        await containerEvent(pod, key: key, reason: "Pulling", message: "Pulling image \"\(image)\"")
        let credentials = await pullCredentials(for: image, pod: pod)
        let started = ContinuousClock.now
        let size: Int64
        do {
            size = try await RegistryCredential.tryEach(credentials) { try await runtime.pullImage(image, credential: $0, sandboxID: sandboxID) }
        } catch let error as RuntimeError {
            await containerEvent(pod, key: key, type: .warning, reason: "Failed", message: "Failed to pull image \"\(image)\": \(error.message)")
            throw error
        }
        let elapsed = ContinuousClock.now - started
        let took = GoDuration.format(nanoseconds: elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
        await containerEvent(
            pod, key: key, reason: "Pulled",
            message: "Successfully pulled image \"\(image)\" in \(took) (\(took) including waiting). Image size: \(size) bytes.")
    }

    /// Records an event about one container of the pod (`involvedObject.fieldPath` names it),
    /// on nodes whose containers really run: simulated nodes, there for scale, record none.
    func containerEvent(_ pod: CoreV1.Pod, key: String, type: EventType = .normal, reason: String, message: String) async {
        guard runtime.runsProcesses else { return }
        await events?.record(Self.reference(pod, containerKey: key), type: type, reason: reason, message: message)
    }

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
