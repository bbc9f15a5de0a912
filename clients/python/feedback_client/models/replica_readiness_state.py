from typing import Literal

ReplicaReadinessState = Literal["down", "healthy", "lagging"]

REPLICA_READINESS_STATE_VALUES: set[ReplicaReadinessState] = {
    "down",
    "healthy",
    "lagging",
}


def check_replica_readiness_state(value: str) -> ReplicaReadinessState:
    if value in REPLICA_READINESS_STATE_VALUES:
        return value
    raise TypeError(f"Unexpected value {value!r}. Expected one of {REPLICA_READINESS_STATE_VALUES!r}")
