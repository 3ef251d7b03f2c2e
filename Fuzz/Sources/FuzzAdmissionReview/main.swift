import Foundation
import SkiffAPI
@testable import SkiffAPIServer

enum Fixture {
    /// The object a fuzzed patch is applied to: a small pod with nested objects and arrays.
    static let pod: JSONValue = [
        "apiVersion": "v1", "kind": "Pod",
        "metadata": ["name": "web", "namespace": "default", "labels": ["app": "web"], "annotations": ["a/b~c": "1"]],
        "spec": ["containers": [["name": "app", "image": "nginx", "ports": [["containerPort": 80]], "env": []]]],
    ]
}

/// The answer of `data`: the first byte picks what the rest is. 0: a webhook's answer as it
/// comes off the wire. 1: a JSON patch, sent base64-encoded in an otherwise valid answer (so
/// the fuzzer works on the patch rather than on its base64 form).
func answer(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
    guard let mode = data.first else { return nil }
    let rest = Array(data.dropFirst())
    if mode % 2 == 0 { return rest }
    let review: JSONValue = [
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "response": ["uid": "fuzz", "allowed": true, "patchType": "JSONPatch", "patch": .string(Data(rest).base64EncodedString())],
    ]
    return review.serialized()
}

/// libFuzzer's entry: a webhook's answer (see `answer`) is parsed, checked and decoded as the
/// dispatcher does (a mutating webhook's, so the patch is decoded), its refusal turned into the
/// client's Status, and its JSON patch applied to a pod. Errors are fine; a crash is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdmissionReview(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let bytes = answer(UnsafeBufferPointer(start: data, count: size)), let review = try? JSONValue(parsing: bytes),
        let response = try? AdmissionReview.response(review, uid: "fuzz", mutating: true)
    else { return 0 }
    if !response.allowed { _ = AdmissionReview.refusal(webhook: "fuzz.example.com", status: response.status).status.serialized() }
    if let patch = response.patch, let patched = try? JSONPatch.apply(patch, to: Fixture.pod) {
        _ = patched.serialized()
    }
    return 0
}
