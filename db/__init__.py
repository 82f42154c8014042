from db import sqlite_light  # noqa: F401  (before sqlite-utils: leaves pandas and numpy out of its import)
