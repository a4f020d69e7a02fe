from pathlib import Path

from unionhub.imports.reader import read_table

FILES = Path(__file__).parent / "files"


def read(name: str):
    path = FILES / name
    return read_table(path.read_bytes(), path.name)
