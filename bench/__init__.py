"""Development tools, outside the site builder: the benchmark and the synthetic world it builds.

The site build never imports this package.
"""
