"""retrosheet: plan a music release backward from its release day, in a spreadsheet."""

__version__ = "0.1.0"
