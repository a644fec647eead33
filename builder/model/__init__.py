"""What the pages show, computed from the checked inputs: figures, totals composed from each
company's request types, status boards, and the request table's shared views.
"""
