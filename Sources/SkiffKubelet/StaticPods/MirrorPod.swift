import SkiffAPI
import SkiffModels

/// The mirror pod of a `StaticPod` on one node, in the shape upstream's kubelet gives mirror
/// pods: annotations `kubernetes.io/config.mirror` and `config.hash` (the same hash),
/// `config.source: file` and `config.seen`; a controller reference to the Node (as upstream's
/// `CreateMirrorPod`, `controller: true`); `hostNetwork`, `nodeName`, the priority class,
/// kubeadm's NoExecute toleration; no service account (upstream's admission refuses one on a
/// mirror pod). Its status is Running and Ready since the kubelet took the component in, with
/// the node's address as pod IP.
struct MirrorPod: Sendable {
    static let namespace = "kube-system"
    static let mirrorAnnotation = "kubernetes.io/config.mirror"
    static let hashAnnotation = "kubernetes.io/config.hash"
    static let sourceAnnotation = "kubernetes.io/config.source"
    static let seenAnnotation = "kubernetes.io/config.seen"

    let staticPod: StaticPod
    let nodeName: String
    /// When the kubelet took the component in (`config.seen`, the container's start).
    let seen: Timestamp

    var name: String { "\(staticPod.name)-\(nodeName)" }
    var key: String { "\(Self.namespace)/\(name)" }

    /// 32 hex digits (the length of upstream's md5) over what the pod says; a changed component
    /// description changes it, and the kubelet replaces the mirror pod.
    var hash: String {
        let labels = staticPod.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let text = ([name, staticPod.priorityClassName] + labels + staticPod.command).joined(separator: "\n")
        return String(HexDigest.of(text).prefix(32))
    }

    /// Whether `pod` is a mirror pod (of any static pod).
    static func isMirror(_ pod: CoreV1.Pod) -> Bool {
        pod.metadata?.annotations?[mirrorAnnotation] != nil
    }

    /// Whether `pod` is this mirror pod as it should be (not being deleted, the same hash).
    func isCurrent(_ pod: CoreV1.Pod) -> Bool {
        pod.metadata?.deletionTimestamp == nil && pod.metadata?.annotations?[Self.mirrorAnnotation] == hash
    }

    /// The pod to create, owned by the Node with `nodeUID`.
    func pod(nodeUID: String) -> CoreV1.Pod {
        let hash = self.hash
        let metadata = ObjectMeta(
            name: name, namespace: Self.namespace, labels: staticPod.labels,
            annotations: [
                Self.mirrorAnnotation: hash, Self.hashAnnotation: hash, Self.sourceAnnotation: "file", Self.seenAnnotation: seen.rfc3339Micro,
            ],
            ownerReferences: [OwnerReference(apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUID, controller: true)])
        var container = CoreV1.Container(name: staticPod.name)
        container.image = image
        container.imagePullPolicy = "IfNotPresent"
        container.command = staticPod.command
        var spec = CoreV1.PodSpec(containers: [container])
        spec.nodeName = nodeName
        spec.hostNetwork = true
        spec.priorityClassName = staticPod.priorityClassName
        spec.tolerations = [CoreV1.Toleration(effect: "NoExecute", operator: "Exists")]
        return CoreV1.Pod(metadata: metadata, spec: spec)
    }

    /// The status of the running component on a node at `hostIP`, written over `existing`
    /// (the server's QoS class and others' conditions are kept).
    func status(hostIP: String, existing: CoreV1.PodStatus?, now: Timestamp) -> CoreV1.PodStatus {
        var status = existing ?? CoreV1.PodStatus()
        let started = seen.wholeSeconds
        status.phase = "Running"
        status.conditions = PodConditions(phase: "Running", sandboxReady: true, incompleteInitContainers: [], unreadyContainers: [])
            .merged(into: status.conditions ?? [], now: now)
        status.hostIP = hostIP
        status.hostIPs = [CoreV1.HostIP(ip: hostIP)]
        status.podIP = hostIP
        status.podIPs = [CoreV1.PodIP(ip: hostIP)]
        status.startTime = started
        let digest = HexDigest.of("\(nodeName)/\(staticPod.name)/\(seen.rfc3339Micro)")
        status.containerStatuses = [
            CoreV1.ContainerStatus(
                containerID: "skiff://\(digest)", image: image, imageID: "\(imageRepository)@sha256:\(HexDigest.of(image))",
                name: staticPod.name, ready: true, restartCount: 0, started: true,
                state: CoreV1.ContainerState(running: CoreV1.ContainerStateRunning(startedAt: started))),
        ]
        return status
    }

    /// No image runs the component: the name says where it runs.
    private var imageRepository: String { "skiff.dev/\(staticPod.name)" }
    private var image: String { "\(imageRepository):in-process" }
}
