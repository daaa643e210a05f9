"""A stand-in for the parts of Ray the FAQ's distributed snippet uses: each ``f.remote(...)`` runs
``f`` in its own forked process, as Ray runs tasks in worker processes; ``ray.get`` waits for them
and raises if one failed. Ray itself is a large dependency the test does not need."""

from __future__ import annotations

import multiprocessing
import traceback
from typing import Any, Callable, List


def init(*args: Any, **kwargs: Any) -> None:
    """Nothing to start."""


class ObjectRef:
    def __init__(self, process: Any, receiver: Any) -> None:
        self.process = process
        self.receiver = receiver


class RemoteFunction:
    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function

    def remote(self, *args: Any, **kwargs: Any) -> ObjectRef:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def task() -> None:
            try:
                sender.send(("ok", self.function(*args, **kwargs)))
            except BaseException:
                sender.send(("error", traceback.format_exc()))

        process = context.Process(target=task)
        process.start()
        return ObjectRef(process, receiver)


def remote(function: Callable[..., Any]) -> RemoteFunction:
    return RemoteFunction(function)


def get(refs: Any) -> Any:
    single = isinstance(refs, ObjectRef)
    results: List[Any] = []
    for ref in [refs] if single else refs:
        status, value = ref.receiver.recv()
        ref.process.join()
        if status != "ok":
            raise RuntimeError(f"remote task failed:\n{value}")
        results.append(value)
    return results[0] if single else results
