"""Built-in templates, shipped as package data (the CSV files beside this one)."""
