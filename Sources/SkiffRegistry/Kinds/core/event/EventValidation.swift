import Foundation
import SkiffAPI

extension EventStrategy {
    func validate(_ object: JSONValue) -> [FieldError] {
        validate(object, reportingField: "reportingComponent")
    }

    /// Upstream's legacy event validation, which both APIs apply; `reportingField` names the
    /// reporting controller as the request's API does.
    func validate(_ event: JSONValue, reportingField: String) -> [FieldError] {
        var errors: [FieldError] = []
        let namespace = event.namespace ?? ""
        let involvedNamespace = event.stringValue(at: "involvedObject", "namespace")
        let mismatch = FieldError.invalid("involvedObject.namespace", .string(involvedNamespace), "does not match event.namespace")
        if event["eventTime"] == nil || event["eventTime"] == .null {
            if involvedNamespace.isEmpty ? !["", "default"].contains(namespace) : namespace != involvedNamespace { errors.append(mismatch) }
            return errors
        }
        if involvedNamespace.isEmpty && !["default", "kube-system"].contains(namespace) { errors.append(mismatch) }
        let controller = event.stringValue(at: "reportingComponent")
        if controller.isEmpty { errors.append(.required(reportingField)) }
        errors += LabelSelector.validateKey(controller).map { .invalid(reportingField, .string(controller), $0) }
        for (field, limit) in [("reportingInstance", 128), ("action", 128), ("reason", 128)] {
            let value = event.stringValue(at: field)
            if value.isEmpty { errors.append(.required(field)) }
            if value.utf8.count > limit { errors.append(.invalid(field, "", "can have at most \(limit) characters")) }
        }
        if event.stringValue(at: "message").utf8.count > 4096 { errors.append(.invalid("message", "", "can have at most 4096 characters")) }
        return errors
    }
}
