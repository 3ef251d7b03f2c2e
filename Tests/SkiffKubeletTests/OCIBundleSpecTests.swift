import SkiffAPI
import Testing

@testable import SkiffKubelet

/// The volume binds of a container's `config.json`.
struct OCIBundleSpecTests {
    @Test func volumesAreBoundAfterTheStandardMountsShallowestFirst() {
        var container = ContainerConfig(name: "app", image: "busybox")
        container.mounts = [
            .init(containerPath: "/data/cache", hostPath: "/pods/u/volumes/kubernetes.io~empty-dir/cache"),
            .init(containerPath: "/data", hostPath: "/pods/u/volumes/kubernetes.io~configmap/config", readOnly: true),
        ]
        let spec = OCIBundleSpec(container: container, image: [:], hostname: "p", networkNamespacePath: "/var/run/netns/x")
        let mounts = spec.json["mounts"]?.arrayValue ?? []
        #expect(mounts.map { $0["destination"] } == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/data", "/data/cache"])
        #expect(mounts[6] == [
            "destination": "/data", "type": "bind", "source": "/pods/u/volumes/kubernetes.io~configmap/config", "options": ["rbind", "rprivate", "ro"],
        ])
        #expect(mounts[7]["options"] == ["rbind", "rprivate", "rw"])
    }
}
