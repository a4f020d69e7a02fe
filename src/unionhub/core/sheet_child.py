"""The child process that reads a workbook for core.spreadsheets, under a memory limit.

calamine allocates the whole used range of a sheet at once, and a failed allocation in Rust
aborts the process: no `except` can catch it. So the workbook is read here, in a process of its
own with RLIMIT_AS and RLIMIT_CPU set, and its rows are sent to stdout in batches as they are
converted; whatever happens to this process, the server's process goes on and tells the officer
why.

Run as ``python -m unionhub.core.sheet_child MEMORY_BYTES CPU_SECONDS`` with the workbook's
bytes on stdin. It imports neither Django nor the rest of UnionHub (quick to start).

Output, frames of an 8-byte length and a pickle: ("sheet", name, start_row, start_column,
height), then lists of rows, then None. On a file calamine cannot read: ("error", message).
"""

from __future__ import annotations

import io
import pickle
import resource
import sys
from typing import Any, BinaryIO

BATCH_ROWS = 1000
LENGTH_BYTES = 8


def send(out: BinaryIO, value: object) -> None:
    frame = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(frame).to_bytes(LENGTH_BYTES, "little"))
    out.write(frame)


def main(memory: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    from python_calamine import CalamineWorkbook

    data = sys.stdin.buffer.read()
    out = sys.stdout.buffer
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        visible = [m.name for m in workbook.sheets_metadata if str(m.visible).endswith("Visible")]
        name = (visible or workbook.sheet_names)[0]
        sheet = workbook.get_sheet_by_name(name)
    except MemoryError:
        raise
    # calamine's errors, and its panics (BaseException), share no narrower base class.
    except BaseException as error:
        send(out, ("error", str(error)[:200]))
        return
    del data
    start_row, start_column = sheet.start or (0, 0)
    send(out, ("sheet", name, start_row, start_column, sheet.height))
    out.flush()
    batch: list[list[Any]] = []
    for row in sheet.iter_rows():
        batch.append(row)
        if len(batch) == BATCH_ROWS:
            send(out, batch)
            batch = []
    if batch:
        send(out, batch)
    send(out, None)
    out.flush()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
