@testable import SkiffAPIServer
import Testing

@Suite struct MediaNegotiationTests {
    static let protobuf = "application/vnd.kubernetes.protobuf"

    @Test func absentOrWildcardAcceptIsJSON() {
        #expect(ResponseFormat.negotiate(nil, allowsProtobuf: true) == .json)
        #expect(ResponseFormat.negotiate("", allowsProtobuf: true) == .json)
        #expect(ResponseFormat.negotiate("*/*", allowsProtobuf: true) == .json)
        #expect(ResponseFormat.negotiate("application/*", allowsProtobuf: true) == .json)
    }

    @Test func protobufWhenTheKindHasIt() {
        #expect(ResponseFormat.negotiate(Self.protobuf, allowsProtobuf: true) == .protobuf)
        #expect(ResponseFormat.negotiate(Self.protobuf + ", application/json", allowsProtobuf: true) == .protobuf)
        #expect(ResponseFormat.negotiate(Self.protobuf + ";stream=watch", allowsProtobuf: true) == .protobuf)
        #expect(ResponseFormat.negotiate(Self.protobuf + ", application/json", allowsProtobuf: false) == .json,
                "a custom resource answers JSON when JSON is acceptable")
        #expect(ResponseFormat.negotiate(Self.protobuf, allowsProtobuf: false) == nil, "and 406 when only protobuf is")
        #expect(ResponseFormat.negotiate(Self.protobuf + ";stream=other", allowsProtobuf: true) == nil)
    }

    @Test func qualityThenSpecificityThenOrder() {
        #expect(ResponseFormat.negotiate("application/json;q=0.5, \(Self.protobuf)", allowsProtobuf: true) == .protobuf)
        #expect(ResponseFormat.negotiate("application/json, \(Self.protobuf)", allowsProtobuf: true) == .json)
        #expect(ResponseFormat.negotiate("*/*, \(Self.protobuf)", allowsProtobuf: true) == .protobuf, "a full type before */*")
        #expect(ResponseFormat.negotiate("\(Self.protobuf);q=0.9, application/json;q=0.8", allowsProtobuf: true) == .protobuf)
    }

    @Test func tablesAreJSONOnly() {
        let table = "application/json;as=Table;v=v1;g=meta.k8s.io"
        #expect(ResponseFormat.negotiate(table + ",application/json", allowsProtobuf: true) == .table)
        #expect(ResponseFormat.negotiate("\(Self.protobuf);as=Table;v=v1;g=meta.k8s.io, application/json", allowsProtobuf: true) == .json)
        #expect(ResponseFormat.negotiate("\(Self.protobuf);as=Table;v=v1;g=meta.k8s.io", allowsProtobuf: true) == nil)
    }

    @Test func unservableTypesAreNotAcceptable() {
        #expect(ResponseFormat.negotiate("text/html", allowsProtobuf: true) == nil)
        #expect(ResponseFormat.negotiate("application/yaml", allowsProtobuf: true) == .json, "YAML is answered in JSON")
        let error = ResponseFormat.notAcceptable(allowsProtobuf: false)
        #expect(error.code == 406)
        #expect(error.message == "only the following media types are accepted: application/json, application/yaml")
    }
}
