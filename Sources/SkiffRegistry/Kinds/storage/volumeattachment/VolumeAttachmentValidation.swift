import SkiffAPI

extension VolumeAttachmentStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        if object.stringValue(at: "spec", "attacher").isEmpty { errors.append(.required("spec.attacher")) }
        if object.stringValue(at: "spec", "nodeName").isEmpty { errors.append(.required("spec.nodeName")) }
        let source = object[path: "spec", "source"] ?? .emptyObject
        let sources = ["persistentVolumeName", "inlineVolumeSpec"].filter { source[$0] != nil && source[$0] != .null }
        if sources.count != 1 {
            errors.append(.invalid("spec.source", source, "must specify exactly one of inlineVolumeSpec and persistentVolumeName"))
        }
        return errors
    }

    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        FieldRules.immutable(object, old: old, [["spec"]])
    }
}
