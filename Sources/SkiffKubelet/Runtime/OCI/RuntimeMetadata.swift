import Foundation
import SkiffAPI

/// What the process runtime writes next to each sandbox (`sandbox.json` in its directory) and
/// container (`container.json` in its bundle), so that a kubelet restarted over the same data
/// directory finds them again (see `OCIRuntime+Recovery`).
enum RuntimeMetadata {
    /// A pod's sandbox.
    struct Sandbox: Codable, Sendable, Hashable {
        var podName: String
        var podNamespace: String
        var podUID: String
        var podIP: String
        /// The node's pod subnet (`10.128.0.0/24`), nil for a `hostNetwork` pod.
        var podSubnet: String?
        var hostname: String?
        /// The network namespace's name (`ip netns`).
        var netns: String
        /// Whether the containers mount the sandbox's resolv.conf.
        var resolvConf: Bool
        /// The pod's cgroup, below which its containers' go (nil: none).
        var cgroupParent: String?
    }

    /// A container.
    struct Container: Codable, Sendable, Hashable {
        var sandboxID: String
        var name: String
        /// Which run of the container's name in the pod (the number of its log file).
        var attempt: Int
        var logPath: String
        var image: String
        var imageID: String
        var createdAt: Timestamp
        var startedAt: Timestamp?
        var tty: Bool
        var stdin: Bool
        var stdinOnce: Bool
    }

    /// Writes `value` as JSON to `path`, replacing what was there.
    static func write(_ value: some Encodable, to path: String) throws {
        try JSONEncoder().encode(value).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The value stored at `path`; nil when there is none or it cannot be read.
    static func read<Value: Decodable>(_ type: Value.Type, from path: String) -> Value? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }
}
