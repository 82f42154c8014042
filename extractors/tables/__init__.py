"""The table layer: cell grids made by interchangeable strategies, and candidate readings of them.

    Page (words, rules) → strategy (`lines`: edges → intersections → cells; `text`: word clustering)
    → CellGrid → reading (areas as rows or as columns, one area matcher, one column classifier), scored

`clusters` holds the word clustering the `text` reading of a table uses (columns of number cells).
"""
from extractors.tables.clusters import Column, alignment, cluster_columns, column_at, column_bounds

__all__ = ["Column", "alignment", "cluster_columns", "column_at", "column_bounds"]
