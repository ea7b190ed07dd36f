"""Run one retrosheet command on a small, full tmpfs, inside a private mount namespace.

Started by tests as `unshare -rm python fulldisk.py SPEC_JSON`: the tmpfs exists only for
this process and its children (nothing to unmount, nothing left on the machine). It mounts
the filesystem, copies the files in, fills every free byte, runs the command there and
prints, as JSON: the exit code, stdout, stderr, each file's SHA-256 before and after, and
the folder's listing after the run.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


def _sha(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def _fill(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (1 << 16, 1 << 12, 1):
            while True:
                try:
                    os.write(fd, b"\0" * chunk)
                except OSError:
                    break
    finally:
        os.close(fd)


def main() -> None:
    spec = json.loads(sys.argv[1])
    mnt = Path(spec["mount"])
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={spec['size']}", "retrosheet-full",
                    str(mnt)], check=True)
    for name, src in spec["files"].items():
        shutil.copy(src, mnt / name)
    names = list(spec["files"]) + spec.get("watch", [])
    before = {n: _sha(mnt / n) for n in names}
    _fill(mnt / "filler")
    free = os.statvfs(mnt).f_bavail
    proc = subprocess.run([sys.executable, "-m", "retrosheet", *spec["argv"]], cwd=mnt,
                          capture_output=True, text=True)
    print(json.dumps({
        "code": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
        "free_blocks": free, "before": before, "after": {n: _sha(mnt / n) for n in names},
        "listing": sorted(p.name for p in mnt.iterdir()),
    }))


if __name__ == "__main__":
    main()
