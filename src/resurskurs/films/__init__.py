"""Making films: narrated stand-ins, a real lecture added (film add, chapters, alignment, signs), the demo clip."""
