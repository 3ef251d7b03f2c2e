import SkiffAPI
import SkiffSchemas

extension ResourceStore {
    /// How the kind's fields merge under server-side apply (nil: deduced from the values),
    /// compiled on first use.
    var structuralSchema: (any StructuralSchema)? { strategy.structuralSchema ?? CompiledSchema.builtin(info.definitionName) }

    /// The field manager for writes through `subresource` (nil: the main resource): status writes
    /// own `status` only; other writes own everything but `status` when the kind has a status
    /// subresource.
    public func fieldManager(subresource: String?) -> FieldManager {
        let scope: FieldManager.Scope = subresource == "status"
            ? .status : .object(excludingStatus: info.subresources.contains(.status))
        return FieldManager(schema: structuralSchema, scope: scope)
    }

    /// Who a write is recorded for, or nil when it names no manager.
    public func fieldManagerRequest(_ options: WriteOptions, subresource: String?) -> FieldManager.Request? {
        guard let manager = options.fieldManager, !manager.isEmpty else { return nil }
        return FieldManager.Request(manager: manager, subresource: subresource, apiVersion: info.apiVersion)
    }
}
