import SkiffKubelet

extension CRIRuntime {
    /// The image's reference for `CreateContainer`, pulled first as `imagePullPolicy` says
    /// (`ImageStatus`, then `PullImage` with each of the pod's credentials in turn); failures in upstream's words (`ErrImagePull`'s
    /// `rpc error: …`, `ErrImageNeverPull`'s message).
    func ensureImage(_ config: ContainerConfig, sandbox: PodSandboxConfig) async throws -> String {
        let spec = Runtime_V1_ImageSpec.with { $0.image = config.image }
        if config.imagePullPolicy != "Always",
            let status = try? await imageService.imageStatus(.with { $0.image = spec }, options: CRITransport.callOptions()), status.hasImage
        {
            return status.image.id
        }
        if config.imagePullPolicy == "Never" {
            throw SkiffKubelet.RuntimeError(.imageNeverPull, "Container image \"\(config.image)\" is not present with pull policy of Never")
        }
        let logs = logDirectory(podNamespace: sandbox.podNamespace, podName: sandbox.podName, podUID: sandbox.podUID)
        return try await RegistryCredential.tryEach(config.pullCredentials) { credential in
            let request = Runtime_V1_PullImageRequest.with {
                $0.image = spec
                if let credential {
                    $0.auth = .with {
                        $0.username = credential.username
                        $0.password = credential.password
                    }
                }
                $0.sandboxConfig = Runtime_V1_PodSandboxConfig(sandbox, logDirectory: logs.path)
            }
            do {
                return try await imageService.pullImage(request, options: CRITransport.callOptions(timeout: nil)).imageRef
            } catch {
                throw CRICallError.runtimeError(error, code: .imagePull)
            }
        }
    }
}
