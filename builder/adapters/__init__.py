"""The ways in: the command line, the MkDocs hook, and publishing a MkDocs build whole.
"""
