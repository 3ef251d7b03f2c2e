import FuzzSupport
import SkiffAPI

/// libFuzzer's entry: the input, as UTF-8 text (invalid sequences repaired, as a decoded query
/// parameter would be), is parsed as a label selector and as a field selector. Refusals are
/// fine; a crash is not, nor a parsed selector whose string form parses to another selector.
/// (A field selector's requirements keep the order of their terms' text as written, `==` prints
/// as `=`, so its string form may parse to the same requirements in another order, as upstream's.)
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSelectors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let labels = try? LabelSelector(parsing: text) {
        let reparsed = try? LabelSelector(parsing: labels.description)
        invariant(reparsed == labels, "label selector \(text.debugDescription) prints as \(labels.description.debugDescription), which parses to \(String(describing: reparsed))")
        _ = labels.matches(["app": "web", "tier": "db", "replicas": "3"])
    }
    if let fields = try? FieldSelector(parsing: text) {
        let reparsed = try? FieldSelector(parsing: fields.description)
        invariant(reparsed.map { Set($0.requirements) } == Set(fields.requirements) && reparsed?.requirements.count == fields.requirements.count,
                  "field selector \(text.debugDescription) prints as \(fields.description.debugDescription), which parses to \(String(describing: reparsed))")
        _ = fields.matches(["metadata.name": "web", "status.phase": "Running"])
    }
    return 0
}
