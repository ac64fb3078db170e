"""The desktop app (PySide6 + pyvistaqt): the only package that imports Qt; start it with
`twin gui` (see gui/app.py)."""
