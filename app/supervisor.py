"""`feedback serve --workers N`: uvicorn's supervisor, refusing connections once stopping
and dropping a dead worker's live metrics."""

from uvicorn.supervisors import Multiprocess

from app.observability.prometheus import worker_exited


class Supervisor(Multiprocess):
    """uvicorn's supervisor of several worker processes, except that it lets go of the
    listening socket before it stops them.

    Each worker closes its copy of the socket when its graceful shutdown begins, but
    uvicorn's supervisor kept its own open until every worker had finished: for up to
    `timeout_graceful_shutdown` (30 s) the kernel went on accepting connections that
    no process would ever serve, and clients and load balancers hung on them instead
    of being refused at once and going elsewhere (tests/faults/test_shutdown.py).
    """

    def terminate_all(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().terminate_all()

    def keep_subprocess_alive(self) -> None:
        """uvicorn's restart of a dead worker, and its live metrics (pool use) dropped:
        a killed worker cannot drop them itself."""
        before = {process.pid for process in self.processes}
        super().keep_subprocess_alive()
        for pid in before - {process.pid for process in self.processes}:
            worker_exited(pid)
