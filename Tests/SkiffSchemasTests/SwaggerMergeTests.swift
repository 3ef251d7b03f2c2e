import SkiffAPI
import SkiffSchemas
import Testing

@Suite struct SwaggerMergeTests {
    static func reference(_ name: String) -> JSONValue { ["$ref": .string("#/definitions/" + name)] }

    static let meta: JSONValue = ["type": "object", "properties": ["name": ["type": "string"]]]

    /// The server's own document: one path, ObjectMeta and a `Status` of its own shape.
    static let local: JSONValue = [
        "swagger": "2.0", "info": ["title": "Kubernetes", "version": "v1.32.4"],
        "paths": ["/api/v1/pods": ["get": ["responses": ["200": ["schema": reference("Pod")]]]]],
        "definitions": [
            "Pod": ["properties": ["metadata": reference("ObjectMeta")]], "ObjectMeta": meta,
            "Status": ["properties": ["code": ["type": "integer"]]],
        ],
    ]

    /// An extension server's document: its group version, a path the server has too, a path of
    /// another group, the same ObjectMeta, a different `Status`, and a shared parameter.
    static let remote: JSONValue = [
        "swagger": "2.0", "info": ["title": "Wardle", "version": "v0"],
        "paths": [
            "/apis/wardle.example.com/v1alpha1/flunders": [
                "parameters": [["$ref": "#/parameters/pretty"]],
                "get": ["responses": ["200": ["schema": reference("Flunder")], "401": ["schema": reference("Status")]]],
            ],
            "/api/v1/pods": ["get": ["responses": ["200": ["schema": reference("Other")]]]],
            "/apis/other.example.com/v1/things": ["get": ["responses": ["200": ["schema": reference("Thing")]]]],
        ],
        "definitions": [
            "Flunder": ["properties": ["metadata": reference("ObjectMeta"), "spec": reference("FlunderSpec")]],
            "FlunderSpec": ["properties": ["reference": ["type": "string"]]],
            "ObjectMeta": meta, "Status": ["properties": ["reason": ["type": "string"]]],
            "Thing": ["type": "object"], "Other": ["type": "object"],
        ],
        "parameters": ["pretty": ["name": "pretty", "in": "query", "type": "string"], "unused": ["name": "x", "in": "query"]],
    ]

    @Test func filterKeepsTheGroupVersionAndWhatItRefersTo() throws {
        let filtered = SwaggerMerge.filter(Self.remote, pathPrefix: "/apis/wardle.example.com/v1alpha1/")
        #expect(filtered["paths"]?.objectValue?.keys.sorted() == ["/apis/wardle.example.com/v1alpha1/flunders"])
        #expect(filtered["definitions"]?.objectValue?.keys.sorted() == ["Flunder", "FlunderSpec", "ObjectMeta", "Status"])
        #expect(filtered["parameters"]?.objectValue?.keys.sorted() == ["pretty"])
        #expect(filtered["info"] == Self.remote["info"])
    }

    @Test func mergeSharesEqualDefinitionsAndRenamesConflictingOnes() throws {
        var merged = Self.local
        SwaggerMerge.merge(SwaggerMerge.filter(Self.remote, pathPrefix: "/apis/wardle.example.com/v1alpha1/"), into: &merged)
        #expect(merged["paths"]?.objectValue?.keys.sorted() == ["/api/v1/pods", "/apis/wardle.example.com/v1alpha1/flunders"])
        // The server's own path and definitions stay as they were.
        #expect(merged[path: "paths", "/api/v1/pods"] == Self.local[path: "paths", "/api/v1/pods"])
        #expect(merged[path: "definitions", "Status"] == Self.local[path: "definitions", "Status"])
        // ObjectMeta is the same in both: shared. Status differs: the extension's is `Status_v2`.
        #expect(merged["definitions"]?.objectValue?.keys.sorted() == ["Flunder", "FlunderSpec", "ObjectMeta", "Pod", "Status", "Status_v2"])
        #expect(merged[path: "definitions", "Status_v2"] == Self.remote[path: "definitions", "Status"])
        let responses = try #require(merged[path: "paths", "/apis/wardle.example.com/v1alpha1/flunders", "get", "responses"])
        #expect(responses[path: "401", "schema"] == Self.reference("Status_v2"))
        #expect(responses[path: "200", "schema"] == Self.reference("Flunder"))
        #expect(merged[path: "parameters", "pretty"] == Self.remote[path: "parameters", "pretty"])
        #expect(merged["info"] == Self.local["info"])
    }

    @Test func aRenameSkipsNamesAlreadyTaken() {
        var local = Self.local
        local[path: "definitions", "Status_v2"] = ["type": "string"]
        var merged = local
        SwaggerMerge.merge(SwaggerMerge.filter(Self.remote, pathPrefix: "/apis/wardle.example.com/v1alpha1/"), into: &merged)
        #expect(merged[path: "definitions", "Status_v2"] == ["type": "string"])
        #expect(merged[path: "definitions", "Status_v3"] == Self.remote[path: "definitions", "Status"])
        #expect(merged[path: "paths", "/apis/wardle.example.com/v1alpha1/flunders", "get", "responses", "401", "schema"] == Self.reference("Status_v3"))
    }

    @Test func aDocumentWhosePathsAllExistAddsNothing() {
        var merged = Self.local
        SwaggerMerge.merge(SwaggerMerge.filter(Self.remote, pathPrefix: "/api/v1/"), into: &merged)
        #expect(merged == Self.local)
    }
}
