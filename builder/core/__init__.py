"""The vocabulary every stage shares: the kinds of figure and their patterns, the canonical
columns, problems, YAML, jurisdiction codes, settings, and safe file reads and writes.
"""
