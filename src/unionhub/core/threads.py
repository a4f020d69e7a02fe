"""Two cores for one long job: pure-Python work run ahead in a thread while the caller's own
work waits on the database."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any, NoReturn, TypeVar

from django.db import connections
from django.utils import translation

T = TypeVar("T")

_END = object()


class DatabaseInProducer(RuntimeError):
    """read_ahead's producer touched the database: it would get a connection of its own,
    outside the caller's transaction, and see (or write) another state of the data."""


@contextmanager
def _no_database() -> Iterator[None]:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        raise DatabaseInProducer("read_ahead's producer must not use the database")

    with ExitStack() as stack:
        for connection in connections.all(initialized_only=False):
            stack.enter_context(connection.execute_wrapper(refuse))
        yield


def read_ahead(items: Iterable[T], *, depth: int = 1) -> Iterator[T]:
    """Yield the items of `items`, produced by a background thread up to `depth` items ahead.

    The producer runs with the caller's language active and may not use the database (its
    queries raise DatabaseInProducer). An exception in the producer is raised here, in the
    caller, in the place of the item it prevented; leaving the loop early stops the producer
    once it finishes the item it is on.
    """
    ready: queue.Queue[tuple[Any, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()
    language = translation.get_language()

    def hand_over(entry: tuple[Any, BaseException | None]) -> bool:
        while not stop.is_set():
            try:
                ready.put(entry, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            with translation.override(language), _no_database():
                for item in items:
                    if not hand_over((item, None)):
                        return
        except BaseException as error:  # every failure goes to the caller
            hand_over((_END, error))
            return
        hand_over((_END, None))

    producer = threading.Thread(target=produce, name="read-ahead", daemon=True)
    producer.start()
    try:
        while True:
            item, error = ready.get()
            if item is _END:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()
        producer.join()
