"""The UNO component the .oxt registers: a ProtocolHandler for `vnd.retrosheet:` URLs.

This file is copied into the extension as `python/retrosheet_uno.py` and loaded by
LibreOffice's own Python (pythonloader), which puts `python/pythonpath/` (retrosheet and
its pure-Python dependencies) at the END of sys.path; we move it to the front so that
another retrosheet or holidays installed in that Python does not shadow ours.

The menu and toolbar entries of Addons.xcu dispatch `vnd.retrosheet:recompute` and
`vnd.retrosheet:report`. A URL of our own, answered by a registered component, works
whatever the .oxt file was called and whether it was installed for one user or shared,
which a `vnd.sun.star.script:NAME.oxt|…` URL does not.

The file must compile on every Python a LibreOffice may bundle (3.8 and later), so that
an office too old for retrosheet says so instead of failing silently: only syntax of
3.8; beyond `names`, retrosheet is imported when a button is clicked.
"""

import contextlib
import importlib
import os
import sys
from typing import Any, List, Optional, Tuple

import uno  # type: ignore[import-not-found, unused-ignore]
import unohelper  # type: ignore[import-not-found, unused-ignore]
from com.sun.star.frame import (  # type: ignore[import-not-found, unused-ignore]
    XDispatchProvider,
    XNotifyingDispatch,
)
from com.sun.star.lang import (  # type: ignore[import-not-found, unused-ignore]
    XInitialization,
    XServiceInfo,
)

_HERE = os.path.dirname(os.path.abspath(__file__))


def _our_path_first() -> None:
    """Our vendored packages before anything else on sys.path."""
    ours = os.path.join(_HERE, "pythonpath")
    while ours in sys.path:
        sys.path.remove(ours)
    sys.path.insert(0, ours)


def _too_old() -> Optional[str]:
    """The message for a LibreOffice whose Python cannot run retrosheet, or None."""
    if sys.version_info[:2] >= MINIMUM_PYTHON:
        return None
    have = "%d.%d" % sys.version_info[:2]
    need = "%d.%d" % MINIMUM_PYTHON
    return ("Retrosheet a besoin de LibreOffice %s ou plus récent (Python %s ou plus) ; "
            "ce LibreOffice utilise Python %s. / Retrosheet needs LibreOffice %s or later "
            "(Python %s or later); this LibreOffice runs Python %s."
            % (MINIMUM_OFFICE, need, have, MINIMUM_OFFICE, need, have))


_our_path_first()

from retrosheet.libreoffice.names import (  # noqa: E402
    COMMANDS,
    IMPLEMENTATION,
    MINIMUM_OFFICE,
    MINIMUM_PYTHON,
    PROTOCOL,
    SERVICE,
)

PRELOAD = ("holidays", "retrosheet.excel", "retrosheet.actions", "retrosheet.checks",
           "retrosheet.report_cells", "retrosheet.libreoffice.buttons")
_preloads: List[Any] = []  # the one thread importing retrosheet ahead of the first click


def _preload() -> None:
    """Import what a click needs while the user looks at the document: the first click
    would otherwise wait seconds for it (a shared install cannot cache compiled files)."""
    if _preloads or _too_old() is not None:
        return

    def work() -> None:
        with contextlib.suppress(Exception):  # the click imports again and tells
            for module in PRELOAD:
                importlib.import_module(module)

    import threading

    thread = threading.Thread(target=work, name="retrosheet-preload", daemon=True)
    _preloads.append(thread)
    thread.start()


class ProtocolHandler(unohelper.Base, XInitialization, XDispatchProvider,
                      XNotifyingDispatch, XServiceInfo):
    """One per frame: LibreOffice creates it with the frame it dispatches for."""

    def __init__(self, ctx: Any, *args: Any) -> None:
        self.ctx = ctx
        self.frame: Any = None
        if args:
            self.initialize(args)
        _preload()

    # XInitialization
    def initialize(self, args: Any) -> None:
        for arg in args:
            if hasattr(arg, "getController"):
                self.frame = arg

    # XServiceInfo
    def getImplementationName(self) -> str:
        return IMPLEMENTATION

    def supportsService(self, name: str) -> bool:
        return name == SERVICE

    def getSupportedServiceNames(self) -> Tuple[str, ...]:
        return (SERVICE,)

    # XDispatchProvider
    def queryDispatch(self, url: Any, target: str, flags: int) -> Any:
        if url.Protocol == PROTOCOL and url.Path in COMMANDS:
            return self
        return None

    def queryDispatches(self, requests: Any) -> Tuple[Any, ...]:
        return tuple(self.queryDispatch(r.FeatureURL, r.FrameName, r.SearchFlags)
                     for r in requests)

    # XDispatch
    def dispatch(self, url: Any, args: Any) -> None:
        self._click(url.Path)

    def addStatusListener(self, listener: Any, url: Any) -> None:
        # The entry is enabled: tell the menu/toolbar at once.
        state = uno.createUnoStruct("com.sun.star.frame.FeatureStateEvent")
        state.FeatureURL = url
        state.IsEnabled = True
        state.Source = self
        with contextlib.suppress(Exception):  # a listener gone meanwhile
            listener.statusChanged(state)

    def removeStatusListener(self, listener: Any, url: Any) -> None:
        pass

    # XNotifyingDispatch: what DispatchHelper.executeDispatch uses; its result is the
    # message the user was shown.
    def dispatchWithNotification(self, url: Any, args: Any, listener: Any) -> None:
        ok, message = self._click(url.Path)
        if listener is not None:
            event = uno.createUnoStruct("com.sun.star.frame.DispatchResultEvent")
            event.Source = self
            event.State = 1 if ok else 0  # DispatchResultState SUCCESS / FAILURE
            event.Result = message
            listener.dispatchFinished(event)

    def _click(self, command: str) -> Tuple[bool, str]:
        _our_path_first()  # again: another extension may have put its own first since
        old = _too_old()
        if old is not None:
            from retrosheet.libreoffice.infobar import DANGER, show

            show(self.frame, "Retrosheet", old, DANGER)
            return False, old
        try:
            from retrosheet.libreoffice.buttons import click

            return click(self.ctx, self.frame, command)
        except Exception:  # a broken install: say it rather than fail silently
            import traceback

            from retrosheet.libreoffice.infobar import DANGER, show

            told = traceback.format_exc(limit=-3)
            show(self.frame, "Retrosheet", told, DANGER)
            return False, told


g_ImplementationHelper = unohelper.ImplementationHelper()
g_ImplementationHelper.addImplementation(ProtocolHandler, IMPLEMENTATION, (SERVICE,))
