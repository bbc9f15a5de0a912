from typing import Literal

ReplicaReadinessReads = Literal["primary", "replica"]

REPLICA_READINESS_READS_VALUES: set[ReplicaReadinessReads] = {
    "primary",
    "replica",
}


def check_replica_readiness_reads(value: str) -> ReplicaReadinessReads:
    if value in REPLICA_READINESS_READS_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPLICA_READINESS_READS_VALUES!r}")
