"""Turning the model into files: chart specifications and their static images, Markdown
rendered from the templates, the feed and the downloads.
"""
