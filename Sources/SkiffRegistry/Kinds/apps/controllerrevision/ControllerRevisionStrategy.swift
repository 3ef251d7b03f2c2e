import SkiffAPI

/// ControllerRevisions (apps/v1): immutable snapshots of a StatefulSet's or DaemonSet's
/// template. `data` is required and never changes once written, `revision` is not negative;
/// `CONTROLLER` names the controlling object as `kind.group/name`, as upstream's printer does.
struct ControllerRevisionStrategy: ResourceStrategy {}
