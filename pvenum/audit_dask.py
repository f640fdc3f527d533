"""`pvenum audit --scheduler`: the same per-target function on a Dask cluster.

Captures of a large fleet live in shared or object storage that every worker reads; the
client streams chunks of paths to the workers (a bounded number in flight), each worker runs
:func:`pvenum.audit.audit_chunk` with its own cache of resolved captures, and the records come
back in target order, so dedup and the summary are the same as a local run.
Needs the optional extra: ``pip install 'pvenum[dask]'`` (dask, distributed).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from .audit import CHUNK, audit_chunk, chunks
from .errors import PvenumError

if TYPE_CHECKING:  # pragma: no cover
    from .kconfig import KernelConfig


def _client(scheduler: str) -> tuple[Any, Any]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise PvenumError("--scheduler needs Dask: pip install 'pvenum[dask]'") from None
    if scheduler == "local":
        cluster = LocalCluster(processes=True, threads_per_worker=1, dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout="30s"), None
    except (OSError, TimeoutError, ValueError) as err:
        raise PvenumError(f"cannot reach the Dask scheduler: {err}", path=scheduler) from None


def run_dask(targets: Iterable[Path | str], scheduler: str | None = None, *, client: Any = None,
             chunk: int = CHUNK, in_flight: int | None = None, kernel_config: "KernelConfig | None" = None) -> Iterator[dict[str, Any]]:
    """Records in target order, computed on Dask: ``client`` (a distributed.Client) or a
    ``scheduler`` address ("local" starts a LocalCluster). ``kernel_config`` (pvenum.kconfig)
    goes to the workers once, scattered, not with every chunk."""
    own = None
    if client is None:
        client, cluster = _client(scheduler or "local")
        own = (client, cluster)
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        limit = in_flight or workers * 4
        pending: deque = deque()
        config = client.scatter(kernel_config, broadcast=True) if kernel_config is not None else None
        for c in chunks(targets, chunk):
            pending.append(client.submit(audit_chunk, c, config, pure=False))
            if len(pending) >= limit:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if own is not None:
            own[0].close()
            if own[1] is not None:
                own[1].close()
