import SkiffAPI
import Testing

/// API versions sort as upstream's discovery sorts them.
struct APIVersionPriorityTests {
    @Test func ordersGABetaAlphaThenOthersByName() {
        let shuffled = ["foo10", "v1alpha1", "v11alpha2", "v1", "v2", "v1beta1", "v12alpha1", "v10beta3", "foo1", "v1beta2", "v10", "v3beta1"]
        // Upstream's documented example of the order, plus names that are not Kubernetes versions.
        #expect(shuffled.sorted(by: APIVersionPriority.precedes) == [
            "v10", "v2", "v1", "v10beta3", "v3beta1", "v1beta2", "v1beta1", "v12alpha1", "v11alpha2", "v1alpha1", "foo1", "foo10",
        ])
    }

    @Test func malformedVersionsAreNotKubernetesVersions() {
        for version in ["v0", "vbeta1", "v1beta", "v1gamma1", "v1beta0", "1", "V1"] {
            #expect(APIVersionPriority.precedes("v1alpha1", version), "\(version)")
        }
    }
}
