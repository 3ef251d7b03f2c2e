import AsyncHTTPClient
import NIOCore
import SkiffAPI
import SkiffModels

/// Runs a container's lifecycle hook (`postStart`, `preStop`) as upstream's kubelet does: `exec`
/// in the container (a non-zero exit fails), `httpGet` to the pod's IP unless the hook names a
/// host (only an unreachable server fails: the response's status is not looked at), `sleep` for
/// its seconds. `tcpSocket` is kept in the API for compatibility but never runs, so it fails.
/// No timeout of its own: a `preStop` hook is bounded by the grace period, a `postStart` hook
/// holds the pod's start until it returns.
struct LifecycleHookRunner: Sendable {
    let runtime: any ContainerRuntime

    /// Runs `handler` for `container` (running as `containerID`) of `pod`; nil when it succeeded,
    /// else why it failed, worded as upstream's kubelet logs it.
    func run(_ handler: CoreV1.LifecycleHandler, containerID: String, container: CoreV1.Container, pod: CoreV1.Pod, podIP: String) async -> String? {
        let subject = "for Container \"\(container.name)\" in Pod \"\(pod.name)_\(pod.namespace)(\(pod.metadata?.uid ?? ""))\""
        if let command = handler.exec?.command {
            do {
                let result = try await runtime.exec(containerID, command: command)
                guard result.exitCode != 0 else { return nil }
                let error = "command '\(command.joined(separator: " "))' exited with \(result.exitCode): \(result.stderr)"
                return "Exec lifecycle hook ([\(command.joined(separator: " "))]) \(subject) failed - error: \(error), message: \((result.stdout + result.stderr).goQuoted)"
            } catch {
                return "Exec lifecycle hook ([\(command.joined(separator: " "))]) \(subject) failed - error: \(error), message: \"\""
            }
        }
        if let action = handler.httpGet {
            let path = action.path ?? ""
            guard let request = ProbeRunner.request(action, container: container, podIP: podIP, agent: "kube-lifecycle") else {
                return "HTTP lifecycle hook (\(path)) \(subject) failed - error: couldn't find port: \(action.port)"
            }
            do {
                _ = try await HTTPClient.shared.execute(request, deadline: .distantFuture)
                return nil
            } catch {
                return "HTTP lifecycle hook (\(path)) \(subject) failed - error: Get \"\(request.url)\": \(error)"
            }
        }
        if let seconds = handler.sleep?.seconds {
            do {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            } catch {
                return "Sleep lifecycle hook (\(seconds)) \(subject) failed - error: container terminated before sleep hook finished"
            }
        }
        return "Cannot run handler: invalid handler: no exec, httpGet or sleep action"
    }
}
