import SkiffAPI
import SkiffModels

extension CoreV1.Volume {
    /// The claim the volume of pod `podName` uses: a `persistentVolumeClaim` volume's
    /// `claimName`, an `ephemeral` volume's `<pod>-<volume>` (upstream's `VolumeClaimName`, the
    /// claim the ephemeral-volume controller creates); nil for other volumes.
    public func claimName(podName: String) -> String? {
        if let persistentVolumeClaim { return persistentVolumeClaim.claimName }
        if ephemeral != nil { return "\(podName)-\(name)" }
        return nil
    }
}

extension CoreV1.Pod {
    /// The claims the pod's volumes use, in volume order (`CoreV1.Volume.claimName(podName:)`).
    public var claimNames: [String] {
        (spec?.volumes ?? []).compactMap { $0.claimName(podName: name) }
    }
}
