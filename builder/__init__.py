"""Build a public transparency website from government request data and policy announcements."""

__version__ = "0.1.0"
