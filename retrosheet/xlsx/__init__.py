"""The .xlsx / .xlsm backend."""
