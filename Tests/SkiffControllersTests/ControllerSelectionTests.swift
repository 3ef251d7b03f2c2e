import SkiffControllers
import Testing

/// `--controllers` as upstream reads it, over the built-in descriptor table.
struct ControllerSelectionTests {
    func enabled(_ entries: [String]) throws -> [String] {
        let selection = try ControllerSelection(entries)
        return ControllerDescriptor.builtin.filter(selection.isEnabled).map(\.name)
    }

    @Test func starRunsEveryControllerEnabledByDefault() throws {
        #expect(try enabled(["*"]) == ControllerDescriptor.builtin.map(\.name))
        #expect(ControllerDescriptor.builtin.count == 31)
        #expect(ControllerDescriptor.builtin.allSatisfy { !$0.isDisabledByDefault })
    }

    @Test func minusDisablesAndNamesEnable() throws {
        #expect(try !enabled(["*,-job-controller"]).contains("job-controller"))
        #expect(try enabled(["*", "-job-controller"]).count == 30)
        #expect(try enabled(["job-controller,cronjob-controller"]) == ["job-controller", "cronjob-controller"])
        // Without `*` nothing else runs; the first entry naming a controller decides.
        #expect(try enabled(["-job-controller"]).isEmpty)
        #expect(try enabled(["job-controller", "-job-controller"]) == ["job-controller"])
    }

    @Test func aliasesStandForTheirCanonicalNames() throws {
        #expect(try enabled(["replicaset", "podgc"]) == ["replicaset-controller", "pod-garbage-collector-controller"])
        #expect(try !enabled(["*", "-garbagecollector"]).contains("garbage-collector-controller"))
        #expect(try ControllerSelection(["*,-nodelifecycle"]).entries == ["*", "-node-lifecycle-controller"])
    }

    @Test func disabledByDefaultRunsOnlyWhenNamed() throws {
        let optIn = ControllerDescriptor(name: "opt-in-controller", isDisabledByDefault: true) { context, _ in
            NamespaceController(context: context)
        }
        let descriptors = [ControllerDescriptor.namespace, optIn]
        #expect(try !ControllerSelection(["*"], descriptors: descriptors).isEnabled(optIn))
        #expect(try ControllerSelection(["*", "opt-in-controller"], descriptors: descriptors).isEnabled(optIn))
    }

    @Test func unknownNamesAreRejectedInUpstreamWords() {
        let disabled = #expect(throws: ControllerSelection.UnknownControllers.self) { try ControllerSelection(["*,-foo"]) }
        #expect(disabled?.names == ["foo"])
        #expect(disabled?.description == #""foo" is not in the list of known controllers"#)
        let enabled = #expect(throws: ControllerSelection.UnknownControllers.self) { try ControllerSelection(["foo", "job", "bar"]) }
        #expect(
            enabled?.description == #"["foo" is not in the list of known controllers, "bar" is not in the list of known controllers]"#)
    }
}
