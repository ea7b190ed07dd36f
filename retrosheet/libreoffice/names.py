"""What the extension, its component and the tests agree on (Python 3.8 syntax: the
component imports it before it knows whether this LibreOffice can run retrosheet)."""

IDENTIFIER = "org.retrosheet.libreoffice"  # the extension's, for unopkg remove
IMPLEMENTATION = "org.retrosheet.libreoffice.ProtocolHandler"
SERVICE = "com.sun.star.frame.ProtocolHandler"
PROTOCOL = "vnd.retrosheet:"
COMMANDS = ("recompute", "report")  # their titles are in the catalogue (say.caption)
MINIMUM_PYTHON = (3, 11)  # pyproject.toml's requires-python
MINIMUM_OFFICE = "25.8"  # the first LibreOffice that bundles Python 3.11 (Windows, macOS)
