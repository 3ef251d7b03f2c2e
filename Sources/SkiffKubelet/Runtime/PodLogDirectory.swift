import Foundation

/// Where a runtime keeps a pod's container logs, laid out as upstream's `/var/log/pods`:
/// `<root>/<namespace>_<name>_<uid>/<container>/<n>.log`, n counting the container's runs.
public struct PodLogDirectory: Sendable, Hashable {
    /// The pod's directory.
    public let path: String

    /// The directory of one pod under `root`.
    public init(root: String, podNamespace: String, podName: String, podUID: String) {
        path = "\(root)/\(podNamespace)_\(podName)_\(podUID)"
    }

    /// The log file of a container's run `attempt`, relative to the pod's directory.
    public static func relativeLogPath(container: String, attempt: Int) -> String {
        "\(container)/\(attempt).log"
    }

    /// The log files of a container, oldest run first.
    public func logFiles(container: String) -> [String] {
        let directory = "\(path)/\(container)"
        let runs = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap { Int($0.split(separator: ".").first ?? "") }
        return runs.sorted().map { "\(directory)/\($0).log" }
    }
}
