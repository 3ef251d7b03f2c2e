import SkiffAPI

extension PodStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        PodSpecValidation.validate(object["spec"], path: "spec")
    }

    /// Only images, `activeDeadlineSeconds`, additions to tolerations and the removal of
    /// scheduling gates may change, as upstream.
    func validateUpdate(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        func mutableFieldsCleared(_ spec: JSONValue?) -> JSONValue {
            var spec = spec ?? .emptyObject
            for field in ["containers", "initContainers"] { spec.editElements(field) { $0["image"] = nil } }
            for field in ["activeDeadlineSeconds", "tolerations", "schedulingGates"] { spec[field] = nil }
            return spec
        }
        var errors: [FieldError] = []
        if mutableFieldsCleared(object["spec"]) != mutableFieldsCleared(old["spec"]) {
            errors.append(.forbidden("spec", "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"))
        }
        func withoutSeconds(_ toleration: JSONValue) -> JSONValue {
            var toleration = toleration
            toleration["tolerationSeconds"] = nil
            return toleration
        }
        let newTolerations = object.elements(at: "spec", "tolerations").map(withoutSeconds)
        if !old.elements(at: "spec", "tolerations").map(withoutSeconds).allSatisfy(newTolerations.contains) {
            errors.append(.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"))
        }
        let oldGates = old.elements(at: "spec", "schedulingGates")
        if let added = object.elements(at: "spec", "schedulingGates").first(where: { !oldGates.contains($0) }) {
            errors.append(.forbidden("spec.schedulingGates", "only deletion is allowed, but found new scheduling gate '\(added.stringValue(at: "name"))'"))
        }
        return errors + validateMirrorAnnotation(object, old: old)
    }

    /// The mirror pod annotation can be neither added, changed nor removed (upstream's
    /// `ValidatePodSpecificAnnotationUpdates`).
    private func validateMirrorAnnotation(_ object: JSONValue, old: JSONValue) -> [FieldError] {
        let key = Self.mirrorAnnotation
        let new = object[path: "metadata", "annotations", key]
        let previous = old[path: "metadata", "annotations", key]
        let path = "metadata.annotations[\(key)]"
        if let previous, new != previous { return [.forbidden(path, "may not remove or update mirror pod annotation")] }
        if previous == nil, new != nil { return [.forbidden(path, "may not add mirror pod annotation")] }
        return []
    }
}
