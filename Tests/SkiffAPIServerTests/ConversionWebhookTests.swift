import SkiffAPI
@testable import SkiffAPIServer
import Testing

/// The checks of a conversion webhook's `ConversionReview` answer.
@Suite struct ConversionWebhookTests {
    static func answer(uid: String = "u1", status: String = "Success", message: String? = nil, objects: [JSONValue] = []) -> JSONValue {
        var result: JSONValue = ["status": .string(status)]
        result["message"] = message.map(JSONValue.string)
        return ["apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview",
                "response": ["uid": .string(uid), "result": result, "convertedObjects": .array(objects)]]
    }

    @Test func answersAreChecked() throws {
        let object: JSONValue = ["apiVersion": "stable.example.com/v2", "kind": "Widget"]
        #expect(try ConversionWebhook.convertedObjects(Self.answer(objects: [object]), uid: "u1") == [object])
        #expect(throws: ConversionWebhook.InvalidResponse(description: #"expected response.uid="u1", got "u2""#)) {
            try ConversionWebhook.convertedObjects(Self.answer(uid: "u2"), uid: "u1")
        }
        #expect(throws: ConversionWebhook.InvalidResponse(description: "no converting today")) {
            try ConversionWebhook.convertedObjects(Self.answer(status: "Failure", message: "no converting today"), uid: "u1")
        }
        #expect(throws: ConversionWebhook.InvalidResponse(description: "response.result.status was 'Failure', not 'Success'")) {
            try ConversionWebhook.convertedObjects(Self.answer(status: "Failure"), uid: "u1")
        }
        var wrongKind = Self.answer()
        wrongKind["kind"] = "AdmissionReview"
        #expect(throws: ConversionWebhook.InvalidResponse.self) { try ConversionWebhook.convertedObjects(wrongKind, uid: "u1") }
    }
}
