import SkiffAPI

/// CronJobs (batch/v1): defaults, schedule and job template validation, and the
/// SCHEDULE/TIMEZONE/SUSPEND/ACTIVE/LAST SCHEDULE columns.
struct CronJobStrategy: WorkloadStrategy {}
