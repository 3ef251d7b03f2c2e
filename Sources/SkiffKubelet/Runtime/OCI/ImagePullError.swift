/// A pull that failed; `message` reads as containerd's (the kubelet reports it as the
/// `ErrImagePull` waiting message).
struct ImagePullError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }

    /// `failed to pull and unpack image "<name>": <cause>`, as containerd words it.
    init(image: ImageName, cause: String) {
        message = "failed to pull and unpack image \"\(image)\": \(cause)"
    }
}
