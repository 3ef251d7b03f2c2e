import Logging

extension KubeletHost {
    /// Stops and removes the sandboxes a previous run of the kubelet left for pods that no longer
    /// exist (deleted while it was down), as upstream's kubelet's housekeeping kills the pods the
    /// API server no longer has, and their cgroups (upstream's `cleanupOrphanedPodCgroups`); the
    /// runtimes' other sandboxes are adopted by their pods' workers.
    func removeOrphanedSandboxes() async {
        guard await podInformer.waitForCacheSync() else { return }
        let pods = Set(podInformer.indexer.list().compactMap { $0.metadata?.uid })
        for node in nodes.values {
            for sandbox in await node.runtime.existingSandboxes() where !pods.contains(sandbox.podUID) {
                logger.info("removing the sandbox of a pod that no longer exists", metadata: ["sandbox": "\(sandbox.id)", "podUID": "\(sandbox.podUID)"])
                try? await node.runtime.stopPodSandbox(sandbox.id)
                try? await node.runtime.removePodSandbox(sandbox.id)
            }
            if let cgroups = node.cgroups {
                for uid in cgroups.podUIDs() where !pods.contains(uid) { cgroups.remove(uid: uid) }
            }
        }
    }
}
