"""Reading one of the project's YAML configuration files, with a one-line error naming the file."""
from __future__ import annotations

from pathlib import Path

import yaml


def read_yaml(path: Path, error: type[Exception], what: str):
    """The parsed YAML of `path`; `error` with the file, `what` it is and the reason when it cannot be read."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as failure:
        raise error(f"{path}: cannot read {what} ({failure.strerror})") from None
    except yaml.YAMLError as failure:
        raise error(f"{path}: not valid YAML ({' '.join(str(failure).split())})") from None
