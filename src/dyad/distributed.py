"""Run the extraction pipeline on several local processes or on a Dask cluster.

    for result in extract(articles, batch_size=32, workers=2):             # local processes
    for result in extract(articles, scheduler="tcp://10.0.0.5:8786"):       # a Dask cluster

Articles go out in chunks of ``batch_size``; each worker process loads its spaCy models once
(``language.nlp`` caches them per process) and returns coded Articles (or Problems).  Results come
back, in input order, to the one calling process, which is the single DuckDB writer.  At most
``window`` chunks are in flight, so memory stays bounded whatever the size of the input stream.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Any, Protocol

from dyad.records import Article, Problem

Result = Article | Problem


class _Future(Protocol):
    def result(self) -> list[Result]: ...


Submit = Callable[[Callable[..., list[Result]], list[Article], int], _Future]  # (fn, chunk, batch size)


def extract_chunk(articles: list[Article], batch_size: int, dictionaries: list | None = None) -> list[Result]:
    """Code one chunk of articles in this process (the task every worker runs), with the caller's
    saved dictionaries (``registry.set_dictionaries``), so that every process codes alike."""
    from dyad import registry
    from dyad.pipeline import extract_many

    if dictionaries is not None and dictionaries != registry.saved_dictionaries():
        registry.set_dictionaries(dictionaries)
    return list(extract_many(articles, batch_size=batch_size))


def chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ordered(articles: Iterable[Article], submit: Submit, batch_size: int, window: int) -> Iterator[Result]:
    """Submit chunks with at most ``window`` in flight; yield results in input order."""
    pending: deque[_Future] = deque()
    for chunk in chunks(articles, batch_size):
        pending.append(submit(extract_chunk, chunk, batch_size))
        if len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _init_worker(parent: int, dictionaries: list) -> None:
    """Worker initializer: code with the parent's saved dictionaries; leave with the parent."""
    from dyad import registry

    registry.set_dictionaries(dictionaries)
    _exit_with_parent(parent)


def _exit_with_parent(parent: int) -> None:
    """Leave when the parent dies (a killed run leaves no orphan processes)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="dyad-parent-watch").start()


@contextmanager
def local_pool(workers: int) -> Iterator[tuple[Submit, int]]:
    """``workers`` fresh processes (spawned: no DuckDB or thread state is inherited)."""
    from dyad import registry

    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_init_worker,
                             initargs=(os.getpid(), registry.saved_dictionaries())) as pool:
        yield pool.submit, 2 * workers


@contextmanager
def dask_client(address: str) -> Iterator[tuple[Submit, int]]:
    """A Dask ``Client`` connected to the scheduler at ``address`` (``tcp://host:port``)."""
    from distributed import Client

    from dyad import registry

    with Client(address) as client:
        threads = sum(client.nthreads().values()) or 1
        saved = registry.saved_dictionaries()  # sent with every chunk (usually none or a few)

        def submit(fn: Callable[..., list[Result]], chunk: list[Article], size: int) -> _Future:
            return client.submit(fn, chunk, size, saved, pure=False)

        yield submit, 2 * threads


def extract(articles: Iterable[Article], batch_size: int = 32, workers: int = 1,
            scheduler: str | None = None) -> Iterator[Result]:
    """Coded articles (or Problems) in input order: in this process (``workers == 1``), on
    ``workers`` local processes, or on the Dask cluster at ``scheduler``."""
    if scheduler:
        runner = dask_client(scheduler)
    elif workers > 1:
        runner = local_pool(workers)
    else:
        from dyad.pipeline import extract_many

        yield from extract_many(articles, batch_size=batch_size)
        return
    with runner as (submit, window):
        yield from ordered(articles, submit, batch_size, window)
