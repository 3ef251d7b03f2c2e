import SkiffAPI

/// A container's failed image pulls (upstream's per pod-and-image back-off): the first failure
/// is reported as `ErrImagePull`, syncs before `retryAt` as `ImagePullBackOff`; the wait starts at
/// 10 s and doubles up to 5 min.
struct ImagePullBackoff: Sendable, Hashable {
    static let initialSeconds: Int64 = 10
    static let maximumSeconds: Int64 = 300

    var seconds: Int64
    var retryAt: Timestamp

    /// The back-off after a failure at `now`, following `previous`.
    static func after(_ previous: ImagePullBackoff?, now: Timestamp) -> ImagePullBackoff {
        let seconds = previous.map { min($0.seconds * 2, maximumSeconds) } ?? initialSeconds
        return ImagePullBackoff(seconds: seconds, retryAt: now.adding(seconds: seconds))
    }
}
