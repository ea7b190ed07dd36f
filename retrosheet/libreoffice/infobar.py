"""What a click tells the user: an info bar on top of the document.

Never a modal dialog: one would block a headless office (and a user's flow). Written in
the syntax of Python 3.8, because an office too old for retrosheet uses it too, to say so.
"""

import sys
from typing import Any

BAR = "retrosheet"
# com.sun.star.frame.InfobarType
INFO, SUCCESS, WARNING, DANGER = 0, 1, 2, 3


def show(frame: Any, title: str, message: str, kind: int) -> bool:
    """Replace our info bar on `frame`'s document; False when none could be shown
    (then the message goes to stderr, LibreOffice's console)."""
    try:
        controller = frame.getController()
        if controller.hasInfobar(BAR):
            controller.removeInfobar(BAR)
        controller.appendInfobar(BAR, title, message, kind, (), True)
        return True
    except Exception:
        print("%s: %s" % (title, message), file=sys.stderr)
        return False
