"""The table layer: cell grids made by interchangeable strategies, and candidate readings of them.

    Page (words, rules) → strategy (`lines`/`ocr`: edges → intersections → cells; `text`: blocks of rows,
    value columns clustered, wrapped labels joined every way) → CellGrid → reading (areas as rows or as
    columns, one area matcher, one column classifier), scored; the best reading of each table kept

`clusters` holds the word clustering the `text` strategy uses (columns of number cells, their alignment).
"""
from extractors.tables.clusters import Column, alignment, cluster_columns, column_at, column_bounds

__all__ = ["Column", "alignment", "cluster_columns", "column_at", "column_bounds"]
