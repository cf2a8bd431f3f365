"""resurskurs: interactive Voilà courses for preschool staff, derived from one course schema.

Every process of the app imports this package before anything imports jsonschema, so this is where the 2.3 s
that rfc3987-syntax costs at import is put off until an IRI is checked (iri_syntax.py).
"""

from resurskurs import iri_syntax

iri_syntax.defer()

__version__ = "0.1.0"
