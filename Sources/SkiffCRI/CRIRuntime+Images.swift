import SkiffKubelet

extension CRIRuntime {
    /// See `ContainerRuntime` (`ImageStatus`).
    public func hasImage(_ image: String) async -> Bool {
        await presentImage(image) != nil
    }

    /// See `ContainerRuntime` (`PullImage`, with the credential as its `AuthConfig`; failures
    /// as `ErrImagePull`'s `rpc error: …`). The size is the runtime's, by `ImageStatus`.
    public func pullImage(_ image: String, credential: RegistryCredential?, sandboxID: String) async throws -> Int64 {
        let sandbox = try await sandbox(sandboxID).config
        let logs = logDirectory(podNamespace: sandbox.podNamespace, podName: sandbox.podName, podUID: sandbox.podUID)
        let request = Runtime_V1_PullImageRequest.with {
            $0.image = .with { $0.image = image }
            if let credential {
                $0.auth = .with {
                    $0.username = credential.username
                    $0.password = credential.password
                }
            }
            $0.sandboxConfig = Runtime_V1_PodSandboxConfig(sandbox, logDirectory: logs.path)
        }
        let imageRef: String
        do {
            imageRef = try await imageService.pullImage(request, options: CRITransport.callOptions(timeout: nil)).imageRef
        } catch {
            throw CRICallError.runtimeError(error, code: .imagePull)
        }
        return await presentImage(imageRef).map { Int64($0.size) } ?? 0
    }

    /// The ID `CreateContainer` names the image by (`ImageStatus`).
    func imageReference(_ image: String) async throws -> String {
        guard let present = await presentImage(image) else {
            throw SkiffKubelet.RuntimeError(.createContainer, "image \"\(image)\" is not present on the node")
        }
        return present.id
    }

    private func presentImage(_ image: String) async -> Runtime_V1_Image? {
        let request = Runtime_V1_ImageStatusRequest.with { $0.image = .with { $0.image = image } }
        guard let status = try? await imageService.imageStatus(request, options: CRITransport.callOptions()), status.hasImage else { return nil }
        return status.image
    }
}
