"""Retrosheet inside LibreOffice Calc: the Recalculer/Rapport buttons as an extension.

`oxt` builds the extension (`retrosheet libreoffice-extension`); inside LibreOffice,
`component` answers the buttons' URLs, `buttons` runs a click and `calc` is the plan-store
adapter over the open document (UNO). Only `oxt` runs outside LibreOffice.
"""
