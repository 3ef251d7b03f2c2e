import Foundation
import SkiffAPI

/// Secrets: `type` defaults to `Opaque` and is selectable and immutable; `stringData` is merged
/// into `data` (base64) and never stored, as upstream's conversion does; typed secrets need
/// their keys.
struct SecretStrategy: ResourceStrategy {
    var selectableFields: [String] { ["type"] }

    func fieldValues(of object: JSONValue) -> [String: String] {
        ["type": object.stringValue(at: "type")]
    }
}
