import SkiffAPI
import SkiffModels

/// The values the downward API exposes of a pod, formatted as upstream's kubelet writes them.
enum DownwardAPIValues {
    /// A `fieldRef` of a downward API volume: `metadata.name`, `.namespace`, `.uid`, `.labels`,
    /// `.annotations` (each `key="value"` on its own line, sorted) or one label or annotation
    /// (`metadata.labels['key']`).
    static func field(_ path: String, of pod: CoreV1.Pod) throws -> String {
        let metadata = pod.metadata
        switch path {
        case "metadata.name": return pod.name
        case "metadata.namespace": return pod.namespace
        case "metadata.uid": return metadata?.uid ?? ""
        case "metadata.labels": return formatMap(metadata?.labels ?? [:])
        case "metadata.annotations": return formatMap(metadata?.annotations ?? [:])
        default:
            for (prefix, map) in [("metadata.labels['", metadata?.labels), ("metadata.annotations['", metadata?.annotations)]
            where path.hasPrefix(prefix) && path.hasSuffix("']") {
                return map?[String(path.dropFirst(prefix.count).dropLast(2))] ?? ""
            }
            throw VolumeSetUpError("unsupported fieldPath: \(path)")
        }
    }

    /// A `resourceFieldRef`: the container's limit (else the node's allocatable) or request of
    /// `cpu`, `memory` or `ephemeral-storage`, divided by `divisor` and rounded up.
    static func resource(_ selector: CoreV1.ResourceFieldSelector, of pod: CoreV1.Pod, nodeAllocatable: [String: String]) throws -> String {
        let name = selector.containerName ?? ""
        guard let container = (pod.spec?.containers ?? []).first(where: { $0.name == name })
            ?? (pod.spec?.initContainers ?? []).first(where: { $0.name == name })
        else { throw VolumeSetUpError("container \(name) not found") }
        let parts = selector.resource.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["limits", "requests"].contains(parts[0]), ["cpu", "memory", "ephemeral-storage"].contains(parts[1]) else {
            throw VolumeSetUpError("unsupported container resource : \(selector.resource)")
        }
        let resources = container.resources
        let declared = parts[0] == "limits" ? resources?.limits?[parts[1]] : resources?.requests?[parts[1]]
        let text = declared?.string ?? (parts[0] == "limits" ? nodeAllocatable[parts[1]] : nil) ?? "0"
        let quantity = ResourceQuantity(.string(text)) ?? ResourceQuantity(.int(0))!
        let divisor = ResourceQuantity(.string(selector.divisor?.string ?? "1")) ?? ResourceQuantity(.int(1))!
        guard divisor.isPositive else { return "0" }
        // Upstream divides CPU in millicores and the others in whole units, rounding up.
        let (value, unit) = parts[1] == "cpu" ? (quantity.milliValue, divisor.milliValue) : (quantity.value, divisor.value)
        return String((value + max(unit, 1) - 1) / max(unit, 1))
    }

    private static func formatMap(_ map: [String: String]) -> String {
        map.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.goQuoted)" }.joined(separator: "\n")
    }

    /// The files of downward API `items`, each with its `mode` or `defaultMode`.
    static func files(
        _ items: [CoreV1.DownwardAPIVolumeFile], defaultMode: Int32?, _ context: VolumeContext
    ) throws -> [String: VolumeFile] {
        var files: [String: VolumeFile] = [:]
        for item in items {
            let value: String
            if let field = item.fieldRef {
                value = try Self.field(field.fieldPath, of: context.pod)
            } else if let resource = item.resourceFieldRef {
                value = try Self.resource(resource, of: context.pod, nodeAllocatable: context.nodeAllocatable)
            } else {
                continue
            }
            files[item.path] = VolumeFile(text: value, mode: item.mode ?? defaultMode ?? VolumeFile.defaultMode)
        }
        return files
    }
}
