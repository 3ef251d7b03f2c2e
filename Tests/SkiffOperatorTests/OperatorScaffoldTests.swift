import SkiffOperator
import Testing

/// The scaffold's files, and `create api`'s registration at the markers.
struct OperatorScaffoldTests {
    @Test func initialPackageDependsOnSkiffAndHasMarkers() throws {
        let files = OperatorScaffold.initialFiles(name: "demo-operator", skiff: .path("/src/skiff"))
        #expect(Set(files.keys) == ["Package.swift", "Sources/demo-operator/Operator.swift", "README.md", ".gitignore"])
        let manifest = try #require(files["Package.swift"])
        #expect(manifest.contains(#".package(name: "Skiff", path: "/src/skiff")"#))
        #expect(manifest.contains(#".product(name: "SkiffOperator", package: "Skiff")"#))
        let byURL = OperatorScaffold.initialFiles(name: "demo", skiff: .url("https://example.com/skiff.git", from: "1.0.0"))
        #expect(byURL["Package.swift"]?.contains(#".product(name: "SkiffOperator", package: "skiff")"#) == true)
        #expect(OperatorScaffold.isValidName("demo-operator") && !OperatorScaffold.isValidName("1demo") && !OperatorScaffold.isValidName("de mo"))
    }

    @Test func createAPIRegistersTheKindAtTheMarkers() throws {
        let main = try #require(OperatorScaffold.initialFiles(name: "demo", skiff: .path("/s"))["Sources/demo/Operator.swift"])
        let registered = try #require(OperatorScaffold.registering(kind: "Greeting", in: main))
        #expect(registered.contains(String(repeating: " ", count: 16) + "Greeting.self,\n" + String(repeating: " ", count: 16) + "// +skiff:scaffold:resources"))
        #expect(registered.contains(String(repeating: " ", count: 12) + "manager.controller(for: Greeting.self).complete(GreetingReconciler(manager: manager))\n"
            + String(repeating: " ", count: 12) + "// +skiff:scaffold:controllers"))
        let twice = try #require(OperatorScaffold.registering(kind: "Farewell", in: registered))
        #expect(twice.contains("Greeting.self,") && twice.contains("Farewell.self,"))
        #expect(OperatorScaffold.registering(kind: "Greeting", in: "struct Operator {}") == nil)

        let files = OperatorScaffold.apiFiles(name: "demo", group: "example.com", version: "v1", kind: "Greeting")
        #expect(Set(files.keys) == ["Sources/demo/Greeting.swift", "Sources/demo/GreetingReconciler.swift"])
        #expect(files["Sources/demo/Greeting.swift"]?.contains(#"static let plural = "greetings""#) == true)
    }

    @Test func commandLineFlags() throws {
        let parsed = try OperatorCommandLine(arguments: ["--kubeconfig", "/k", "--namespace=ns", "--print-crd", "--leader-elect"])
        #expect(parsed.kubeconfig == "/k" && parsed.namespace == "ns" && parsed.printCRD && parsed.leaderElect && !parsed.installCRD)
        #expect(throws: OperatorCommandLine.UsageError.self) { try OperatorCommandLine(arguments: ["--bogus"]) }
        #expect(throws: OperatorCommandLine.UsageError.self) { try OperatorCommandLine(arguments: ["--context"]) }
    }
}
