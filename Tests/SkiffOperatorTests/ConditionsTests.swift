import SkiffAPI
import SkiffModels
import SkiffOperator
import Testing

/// `metav1.Condition` helpers behave as apimachinery's `meta.SetStatusCondition`.
struct ConditionsTests {
    @Test func transitionTimeMovesOnlyWithTheStatus() {
        var conditions: [MetaV1.Condition] = []
        let first = Timestamp(seconds: 100)
        let later = Timestamp(seconds: 200)
        let added = conditions.set("Ready", status: .false, reason: "Starting", message: "starting", observedGeneration: 1, now: first)
        let repeated = conditions.set("Ready", status: .false, reason: "Starting", message: "starting", observedGeneration: 1, now: later)
        #expect(added && !repeated)
        #expect(conditions.condition("Ready")?.lastTransitionTime == first)

        let reasoned = conditions.set("Ready", status: .false, reason: "Waiting", message: "waiting", observedGeneration: 2, now: later)
        #expect(reasoned)
        #expect(conditions.condition("Ready")?.lastTransitionTime == first, "same status: no transition")
        #expect(conditions.condition("Ready")?.observedGeneration == 2)

        let flipped = conditions.set("Ready", status: .true, reason: "Running", message: "running", observedGeneration: 2, now: later)
        #expect(flipped)
        #expect(conditions.condition("Ready")?.lastTransitionTime == later)
        #expect(conditions.isTrue("Ready"))
        let removed = conditions.remove("Ready")
        #expect(removed && conditions.isEmpty)
    }
}
