"""The environment to start soffice in (no dependencies: LibreOffice's own Python imports
it too)."""

from __future__ import annotations

import os


def office_env() -> dict[str, str]:
    """This environment with the system's programs first on PATH. Debian's LibreOffice
    embeds the system Python, which finds its files from the first `python3` on PATH:
    with another one first (pytest run by pyenv's Python), the office aborts
    (std::bad_alloc) as soon as it starts Python, e.g. for a Python extension."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join(["/usr/bin", "/bin", env.get("PATH", "")])
    return env
