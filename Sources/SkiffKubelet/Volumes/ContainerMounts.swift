import Foundation
import SkiffModels

/// The binds of a container's `volumeMounts` to its pod's prepared volumes.
enum ContainerMounts {
    /// One bind per mount of a prepared volume (mounts of volumes this kubelet does not prepare are
    /// left out). A `subPath` binds that path inside the volume, created as a directory when
    /// missing, as upstream does; one with `..` elements or absolute is left out (the API refuses them).
    static func binds(_ mounts: [CoreV1.VolumeMount], volumes: [String: String]) -> [ContainerConfig.Mount] {
        mounts.compactMap { mount in
            guard var hostPath = volumes[mount.name] else { return nil }
            if let subPath = mount.subPath, !subPath.isEmpty {
                guard !subPath.hasPrefix("/"), !subPath.split(separator: "/").contains("..") else { return nil }
                hostPath += "/" + subPath
                if !FileManager.default.fileExists(atPath: hostPath) {
                    try? FileManager.default.createDirectory(atPath: hostPath, withIntermediateDirectories: true)
                }
            }
            return ContainerConfig.Mount(containerPath: mount.mountPath, hostPath: hostPath, readOnly: mount.readOnly ?? false)
        }
    }
}
