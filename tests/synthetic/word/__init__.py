"""Synthetic reports written as Word documents (python-docx) and exported to PDF by LibreOffice.

Real Kommunkompassen reports were written in Microsoft Word; their PDFs carry Word's internals
(numbered lists with Symbol bullets, tables with merged cells and repeated header rows, landscape
sections, footer fields, tab stops, hyphenation) that reportlab layouts do not have.
"""
