"""Names of the answer cells in a module's notebook: the notebook builder writes them, the gradebook reads them.

Kept free of imports so that a learner's kernel can read reviews without loading nbformat.
"""

ANSWERS = "svar"
SURVEY = "utvardering"
REFLECTION_ID = "reflektion"
PRACTICE_ID = "praktik"
SURVEY_ID = "utvardering"
