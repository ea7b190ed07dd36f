"""Print the shell block of README.md that follows `<!-- ci: NAME -->`, as written.

`.ci/run` runs the README's set-up and test commands through this, so CI follows the
README and a README that no longer works fails CI."""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def block(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(rf"<!-- ci: {re.escape(name)} -->\s*```sh\n(.*?)```", text, re.DOTALL)
    if m is None:
        raise SystemExit(f"README.md has no block marked <!-- ci: {name} -->")
    return m.group(1)


if __name__ == "__main__":
    sys.stdout.write(block(sys.argv[1]))
