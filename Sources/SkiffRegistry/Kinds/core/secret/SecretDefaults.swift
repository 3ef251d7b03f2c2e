import Foundation
import SkiffAPI

extension SecretStrategy {
    func applyDefaults(to object: inout JSONValue) {
        object.setDefault("type", "Opaque")
        guard let strings = object["stringData"]?.objectValue else { return }
        var data = object["data"]?.objectValue ?? [:]
        for (key, value) in strings {
            data[key] = .string(Data((value.stringValue ?? "").utf8).base64EncodedString())
        }
        object["data"] = .object(data)
        object["stringData"] = nil
    }
}
