import SkiffAPI
import SkiffClient

/// Writes a workload's status through the status subresource when it changed (upstream's
/// `update…Status` helpers): `fill` sets the status fields for a generation; on a conflict
/// the latest object is read and written once more; a deleted object is not an error.
enum StatusWriter {
    static func write<Object: KubernetesObject>(
        _ object: Object, through objects: ResourceClient<Object>, fill: (inout Object, _ observedGeneration: Int64) -> Void
    ) async throws {
        var updated = object
        fill(&updated, object.metadata?.generation ?? 0)
        guard updated != object else { return }
        do {
            _ = try await objects.updateStatus(updated)
        } catch let error as APIError where error.isConflict {
            var latest = try await objects.get(object.name)
            fill(&latest, latest.metadata?.generation ?? 0)
            _ = try await objects.updateStatus(latest)
        } catch let error as APIError where error.isNotFound {
            return
        }
    }
}
